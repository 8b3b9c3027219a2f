/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A JSON document read as the integers it holds, each under its path:
 * {"classes":{"read":4096}} gives "classes" DT_JFLAT_SEP "read" = 4096.
 * Enough for `daxtrace diff` to read the summaries daxtrace writes (and
 * xfstests' summary.json, the same with "groups"), without a JSON library.
 * Strings, booleans and non-integral numbers are parsed and skipped; null
 * is kept (a class a trace could not decide); arrays are parsed, their
 * contents skipped.  Pure: no I/O.
 */
#ifndef USER_JFLAT_H
#define USER_JFLAT_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

/* between the keys of a path: not a character JSON keys here hold */
#define DT_JFLAT_SEP		"\x1f"
#define DT_JFLAT_MAX_DEPTH	16
#define DT_JFLAT_MAX_KEY	512	/* bytes of a whole path */

struct dt_jflat_item {
	char *path;
	__s64 value;
	bool null;
};

struct dt_jflat {
	struct dt_jflat_item *items;
	int n, cap;
};

/*
 * Parses buf[0..len) (one JSON value, blanks around it) into @f, which it
 * initializes.  0, or -1 with a message naming the byte offset in @err;
 * @f is empty then.  A path seen twice keeps its last value.
 */
int dt_jflat_parse(struct dt_jflat *f, const char *buf, size_t len,
		   char *err, int errlen);
void dt_jflat_free(struct dt_jflat *f);
/* The item at @path, or NULL. */
const struct dt_jflat_item *dt_jflat_find(const struct dt_jflat *f,
					  const char *path);

#endif
