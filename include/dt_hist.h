/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Log2 latency histograms, shared by the BPF programs (which fill them in
 * the kernel for `daxtrace hist`) and userspace (which fills them from
 * records for reports).  Slot k counts latencies of (2^(k-1), 2^k] ns,
 * slot 0 those of 0 and 1 ns, and the last slot everything above 2^30 ns
 * (about 1.07 s).  The upper bound is inclusive so that a slot is exactly
 * a Prometheus bucket: le = 2^k ns holds every latency <= 2^k ns and no
 * other (bcc's [2^k, 2^(k+1)) slots exported as le = 2^(k+1) would count
 * 2^(k+1) itself one bucket too high).
 */
#ifndef DT_HIST_H
#define DT_HIST_H

#include "daxtrace.h"
#include "dt_classify.h"
#include "dt_fallback.h"

#define DT_HIST_SLOTS	32

enum dt_hist_by {
	DT_BY_NONE,
	DT_BY_FS,	/* the device: one filesystem */
	DT_BY_COMM,
	DT_BY_PID,
	DT_BY_FILE,	/* device and inode */
	DT_BY_REASON,	/* the PMD fallback reason, or none */
	DT_BY_DEV,	/* the device: a filesystem's, or a device-DAX one */
};

struct dt_hist_key {
	__u64 ino;
	__u32 dev;
	__u32 pid;
	char comm[DT_COMM_LEN];
	__u8 cls;	/* enum dt_class */
	__u8 mismatch;	/* enum dt_mismatch */
	__u8 size;	/* enum dt_size */
	__u8 fallback;	/* --by reason: dt_hist_fallback() */
	__u8 devdax;	/* --by dev: 1 when dev is a device-DAX char device's */
	__u8 pad[3];
};

struct dt_hist {
	__u64 slots[DT_HIST_SLOTS];
	__u64 sum_ns;		/* of the timed faults, in the slots */
	__u64 untimed;		/* faults without a latency (DT_SEEN_UNTIMED) */
};

/*
 * Without --by, a key is only (class, mismatch, size): the BPF side keeps
 * those histograms in an array at this index, which the JIT looks up in a
 * few instructions, where a hash lookup hashes and compares the whole key.
 */
#define DT_HIST_SIZES	DT_SIZES	/* pte, pmd, pud */
#define DT_HIST_FLAT	(DT_CLASS_MAX * DT_MISMATCH_MAX * DT_HIST_SIZES)

static inline __u32 dt_hist_flat_index(__u32 cls, __u32 mismatch, __u32 size)
{
	return (cls * DT_MISMATCH_MAX + mismatch) * DT_HIST_SIZES + size;
}

/* The key index @idx (< DT_HIST_FLAT) of the array stands for. */
static inline void dt_hist_flat_key(__u32 idx, struct dt_hist_key *k)
{
	__builtin_memset(k, 0, sizeof(*k));
	k->size = idx % DT_HIST_SIZES;
	k->mismatch = idx / DT_HIST_SIZES % DT_MISMATCH_MAX;
	k->cls = idx / DT_HIST_SIZES / DT_MISMATCH_MAX;
}

/*
 * dt_hist_key.fallback of a fault: 0 when no PMD fault of it fell back,
 * else 1 + its enum dt_fallback, so that a zeroed key (every --by but
 * reason) reads "no fallback" rather than the reason "unknown".
 */
static inline __u8 dt_hist_fallback(__u32 seen, __u8 reason)
{
	/* a device-DAX refusal is no fs/dax.c fallback (dt_fallback_of()) */
	if (!(seen & DT_SEEN_FALLBACK) || (seen & DT_SEEN_DEVDAX))
		return 0;
	return 1 + (reason < DT_FB_MAX ? reason : DT_FB_UNKNOWN);
}

/* The enum dt_fallback of a key's fallback, or -1 for none. */
static inline int dt_hist_key_reason(__u8 fallback)
{
	if (!fallback)
		return -1;
	return fallback <= DT_FB_MAX ? fallback - 1 : DT_FB_UNKNOWN;
}

/* floor(log2(v)), 0 for v == 0; loop-free so the verifier takes it as is */
static inline unsigned int dt_log2(__u64 v)
{
	unsigned int r = 0, s;

	s = (v > 0xffffffffULL) << 5; v >>= s; r |= s;
	s = (v > 0xffff) << 4; v >>= s; r |= s;
	s = (v > 0xff) << 3; v >>= s; r |= s;
	s = (v > 0xf) << 2; v >>= s; r |= s;
	s = (v > 0x3) << 1; v >>= s; r |= s;
	return r | (unsigned int)(v >> 1);
}

/* ceil(log2(lat_ns)), clamped to the last slot */
static inline unsigned int dt_hist_slot(__u64 lat_ns)
{
	unsigned int slot = lat_ns > 1 ? dt_log2(lat_ns - 1) + 1 : 0;

	return slot < DT_HIST_SLOTS ? slot : DT_HIST_SLOTS - 1;
}

/* The inclusive upper bound, in ns, of slot @k (< DT_HIST_SLOTS - 1). */
static inline __u64 dt_hist_slot_le_ns(unsigned int k)
{
	return 1ULL << k;
}

#endif
