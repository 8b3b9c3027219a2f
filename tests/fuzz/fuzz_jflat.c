// SPDX-License-Identifier: GPL-2.0
/*
 * The JSON reader of `daxtrace diff` (user/jflat.c) on arbitrary bytes:
 * it must stay within the input (ASan: the copy has no NUL after it),
 * fail with an offset inside it or succeed with every path found again
 * and held once, and leave nothing behind on failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "jflat.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *buf = malloc(size ? size : 1), err[256];
	struct dt_jflat f;
	unsigned long off;

	if (!buf)
		abort();
	memcpy(buf, data, size);
	if (dt_jflat_parse(&f, buf, size, err, sizeof(err))) {
		if (f.n || f.items || sscanf(err, "offset %lu:", &off) != 1 || off > size)
			abort();
	} else {
		for (int i = 0; i < f.n; i++)
			if (!f.items[i].path || dt_jflat_find(&f, f.items[i].path) != &f.items[i] ||
			    strlen(f.items[i].path) >= DT_JFLAT_MAX_KEY)
				abort();
		dt_jflat_free(&f);
	}
	free(buf);
	return 0;
}
