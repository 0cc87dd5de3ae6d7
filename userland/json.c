// SPDX-License-Identifier: GPL-2.0
/*
 * vmbr: building jansson values.
 */
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "vmbr.h"

static json_t *checked(json_t *v)
{
	if (!v)
		die_oom();
	return v;
}

json_t *jobj(void)
{
	return checked(json_object());
}

json_t *jarr(void)
{
	return checked(json_array());
}

json_t *jstr(const char *s)
{
	json_t *v = json_string(s);
	char *copy, *p;

	if (v)
		return v;
	/* Not UTF-8 (or no memory, and then this fails too). */
	copy = strdup(s);
	if (!copy)
		die_oom();
	for (p = copy; *p; p++)
		if ((unsigned char)*p >= 0x80)
			*p = '?';
	v = json_string(copy);
	free(copy);
	return checked(v);
}

void jset(json_t *obj, const char *key, json_t *val)
{
	if (!val || json_object_set_new(obj, key, val))
		die_oom();
}

void jpush(json_t *arr, json_t *val)
{
	if (!val || json_array_append_new(arr, val))
		die_oom();
}
