/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xorshift64*: the random records of the differential tests (the writer
 * against json_ref.h, the rules against classify_ref.h), the same on every
 * run.  One generator per test program.
 */
#ifndef RND_H
#define RND_H

#include "daxtrace.h"

static __u64 rnd_state = 0x9e3779b97f4a7c15ULL;

static inline __u64 rnd(void)
{
	rnd_state ^= rnd_state >> 12;
	rnd_state ^= rnd_state << 25;
	rnd_state ^= rnd_state >> 27;
	return rnd_state * 0x2545f4914f6cdd1dULL;
}

#endif
