// SPDX-License-Identifier: GPL-2.0
#include "pace.h"

__u64 dt_pace_sleep_ns(__u64 n, __u64 gap_ns, __u64 cap)
{
	__u64 quarter = cap / 4, ns;

	/* nothing came, a ring too small to let fill, or a quarter already */
	if (!n || cap < DT_PACE_MIN_RECORDS || n >= quarter)
		return 0;
	/* gap_ns / n per record: a quarter of the ring takes that long */
	if (gap_ns / n >= DT_PACE_MAX_NS / quarter + 1)
		return DT_PACE_MAX_NS;
	ns = gap_ns / n * quarter;
	return ns < DT_PACE_MAX_NS ? ns : DT_PACE_MAX_NS;
}
