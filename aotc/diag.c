/*
** diag.c: the sticky diagnostic record, feature-set parsing and the names
** used in messages. Printing to a stream is the tools' business.
*/
#include "aotc.h"

#include <stdio.h>
#include <string.h>

void aotc_diag_init(aotc_diag *d) {
  d->code = AOTC_OK;
  d->offset = AOTC_NO_OFFSET;
  d->func_idx = AOTC_NO_FUNC;
  d->msg[0] = '\0';
}

bool aotc_diag_set(aotc_diag *d, aotc_err code, size_t offset, const char *fmt, ...) {
  if (d->code != AOTC_OK)
    return false;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(d->msg, sizeof d->msg, fmt, ap);
  va_end(ap);
  d->code = code;
  d->offset = offset;
  return false;
}

const char *aotc_err_str(aotc_err code) {
  switch (code) {
  case AOTC_OK: return "ok";
  case AOTC_EMALFORMED: return "malformed";
  case AOTC_EINVALID: return "invalid";
  case AOTC_EUNSUPPORTED: return "unsupported";
  case AOTC_ELIMIT: return "limit exceeded";
  case AOTC_ENOMEM: return "out of memory";
  case AOTC_EIO: return "I/O error";
  case AOTC_EINTERNAL: return "internal error";
  }
  return "unknown error";
}

void aotc_diag_format(const aotc_diag *d, const char *file, char *buf, size_t size) {
  char where[64] = "";
  char func[32] = "";
  if (d->offset != AOTC_NO_OFFSET)
    snprintf(where, sizeof where, ":0x%08zx", d->offset);
  if (d->func_idx != AOTC_NO_FUNC)
    snprintf(func, sizeof func, " (func %u)", (unsigned)d->func_idx);
  snprintf(buf, size, "%s%s: error: %s%s", file ? file : "<input>", where, d->msg, func);
}

const char *aotc_valtype_name(aotc_valtype t) {
  switch (t) {
  case AOTC_I32: return "i32";
  case AOTC_I64: return "i64";
  case AOTC_F32: return "f32";
  case AOTC_F64: return "f64";
  case AOTC_V128: return "v128";
  case AOTC_FUNCREF: return "funcref";
  case AOTC_EXTERNREF: return "externref";
  default: return "?";
  }
}

/* ------------------------------------------------------------ features */

static const struct {
  const char *name;
  uint32_t bit;
  bool dflt;
} features[] = {
#define X(id, name, dflt) {name, AOTC_FEAT_##id, dflt},
    AOTC_FEATURES(X)
#undef X
};
#define N_FEATURES (sizeof features / sizeof features[0])

uint32_t aotc_features_default(void) {
  uint32_t f = 0;
  for (size_t i = 0; i < N_FEATURES; i++)
    if (features[i].dflt)
      f |= features[i].bit;
  return f;
}

uint32_t aotc_features_all(void) {
  return (1u << AOTC_FEAT_COUNT) - 1;
}

const char *aotc_feature_name(uint32_t mask) {
  for (size_t i = 0; i < N_FEATURES; i++)
    if (features[i].bit & mask)
      return features[i].name;
  return "?";
}

uint32_t aotc_feature_from_name(const char *name) {
  for (size_t i = 0; i < N_FEATURES; i++)
    if (!strcmp(features[i].name, name))
      return features[i].bit;
  return 0;
}

bool aotc_features_parse(const char *spec, uint32_t *feat, aotc_diag *d) {
  const char *p = spec;
  while (*p) {
    size_t len = strcspn(p, ",");
    char op = '+';
    const char *name = p;
    size_t nlen = len;
    if (len && (*p == '+' || *p == '-')) {
      op = *p;
      name++;
      nlen--;
    }
    bool found = false;
    if (nlen == 3 && !strncmp(name, "all", 3)) {
      *feat = op == '+' ? aotc_features_all() : 0, found = true;
    } else if (nlen == 4 && !strncmp(name, "none", 4)) {
      *feat = 0, found = true;
    } else if (nlen == 7 && !strncmp(name, "default", 7)) {
      *feat = aotc_features_default(), found = true;
    } else {
      for (size_t i = 0; i < N_FEATURES && !found; i++) {
        if (strlen(features[i].name) == nlen && !strncmp(name, features[i].name, nlen)) {
          *feat = op == '+' ? (*feat | features[i].bit) : (*feat & ~features[i].bit);
          found = true;
        }
      }
    }
    if (!found) {
      char known[256] = "all, none, default";
      for (size_t i = 0; i < N_FEATURES; i++) {
        size_t used = strlen(known);
        snprintf(known + used, sizeof known - used, ", %s", features[i].name);
      }
      return aotc_diag_set(d, AOTC_EUNSUPPORTED, AOTC_NO_OFFSET,
                           "unknown feature '%.*s' (known: %s)", (int)nlen, name, known);
    }
    p += len;
    if (*p == ',')
      p++;
  }
  return true;
}
