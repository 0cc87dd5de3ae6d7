/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmbr: printing the objects of decode.h, as text or as JSON.
 *
 * JSON: every command prints one compact document ending in a newline;
 * lists are arrays, streamed as their items arrive, alone or as a key of
 * an object (nat show).  monitor prints one object per line.
 */
#ifndef VMBR_OUTPUT_H
#define VMBR_OUTPUT_H

#include <stdbool.h>

#include <jansson.h>

struct vmbr_opts;

/* A list of objects, printed as they come: a JSON array or lines. */
struct out_list {
	const struct vmbr_opts *o;
	void (*print)(json_t *item, const struct vmbr_opts *o);	/* text */
	unsigned int count;
	bool failed;
	bool in_object;		/* out_list_start_in() */
};

/*
 * Starts @list as the value of @key in the object @head: in JSON, @head's
 * keys, then "@key" and the list, then the closing brace, which
 * out_list_finish() prints whatever happened; as text, @print prints
 * @head, then the list's lines follow.  The list is still streamed.
 */
void out_list_start_in(struct out_list *list, json_t *head, const char *key,
		       void (*print)(json_t *head, const struct vmbr_opts *o));

void out_list_add(struct out_list *list, json_t *item);

/*
 * Ends the list: closes the JSON array if @ok or if it has items (an
 * error then leaves valid JSON behind).  Returns an exit status: EXIT_FAIL
 * if not @ok or if the output failed.
 */
int out_list_finish(struct out_list *list, bool ok);

/* @doc as one line of JSON; -1 if it could not be written. */
int out_json_line(json_t *doc);

/* Text output (vmbr(8), OUTPUT). */
void print_vmbr(json_t *vmbr, const struct vmbr_opts *o);
void print_port(json_t *port, const struct vmbr_opts *o);
void print_fdb(json_t *fdb, const struct vmbr_opts *o);
void print_event(json_t *event);
void print_nat(json_t *nat, const struct vmbr_opts *o);
void print_nat_session(json_t *session, const struct vmbr_opts *o);
void print_nat_fwd(json_t *fwd, const struct vmbr_opts *o);

#endif /* VMBR_OUTPUT_H */
