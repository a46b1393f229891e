/*
** tramp.h: per-signature trampolines, a leaf under the code generator. It
** knows nothing of Wasm modules or of the runtime's structs: the caller
** creates the LLVM function (name, attributes, section), positions nothing,
** and passes the signature as its wasm-call LLVM function type
**     ret (ptr vmctx, params...)   ret: void, one value, or a literal struct
** Values cross the array-call convention in TRAMP_SLOT_BYTES-byte slots (the
** runtime's wrt_raw), the value at offset 0. The builder's position is saved
** and restored. Each function returns false only when out of memory (the
** caller reports it).
*/
#ifndef TRAMP_H
#define TRAMP_H

#include <stdbool.h>

#include <llvm-c/Core.h>

#define TRAMP_SLOT_BYTES 16

/* entry, `void fn(ptr code, ptr vmctx, ptr io)`: loads the parameters from
** io's slots, calls code(vmctx, params...) and stores the results into io's
** slots (array-call -> wasm-call). */
bool tramp_build_entry(LLVMBuilderRef b, LLVMValueRef fn, LLVMTypeRef wasm_type);

/* exit, fn of type wasm_type whose vmctx is a host context: spills the
** parameters into a stack array of max(params, results) slots, calls
** host_call(host_ctx, array) (type host_call_type) and returns the results
** from the array (wasm-call -> host). */
bool tramp_build_exit(LLVMBuilderRef b, LLVMValueRef fn, LLVMTypeRef wasm_type,
                      LLVMTypeRef host_call_type, LLVMValueRef host_call);

#endif
