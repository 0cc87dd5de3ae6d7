/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmbr: building jansson values.  Running out of memory ends the program,
 * so callers need not check these.
 */
#ifndef VMBR_JSON_H
#define VMBR_JSON_H

#include <jansson.h>

json_t *jobj(void);
json_t *jarr(void);

/* A string; bytes that are not UTF-8 (device names may have them) as '?'. */
json_t *jstr(const char *s);

/* Add @val to @obj or @arr, taking its reference. */
void jset(json_t *obj, const char *key, json_t *val);
void jpush(json_t *arr, json_t *val);

#endif /* VMBR_JSON_H */
