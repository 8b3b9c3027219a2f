// SPDX-License-Identifier: GPL-2.0
/* The device-DAX devices of a trace, and the driver's reasons' names. */
#include <string.h>
#include "devdax.h"

static const char *const why_names[DT_DD_MAX] = {
	[DT_DD_NONE] = "none",
	[DT_DD_ALIGN_SMALLER] = "align_smaller",
	[DT_DD_ALIGN_LARGER] = "align_larger",
	[DT_DD_PAST_END] = "past_end",
	[DT_DD_VMA_UNALIGNED] = "vma_unaligned",
	[DT_DD_PRIVATE] = "private",
	[DT_DD_UNEXPLAINED] = "unexplained",
	[DT_DD_UNKNOWN] = "unknown",
};

const char *dt_devdax_why_name(enum dt_devdax_why w)
{
	return (unsigned int)w < DT_DD_MAX ? why_names[w] : "?";
}

const struct dt_devdax_dev *dt_devdax_find_const(const struct dt_devdax_devs *t,
						 __u32 dev)
{
	for (int i = 0; i < t->n; i++)
		if (t->v[i].dev == dev)
			return &t->v[i];
	return NULL;
}

struct dt_devdax_dev *dt_devdax_find(struct dt_devdax_devs *t, __u32 dev)
{
	return (struct dt_devdax_dev *)dt_devdax_find_const(t, dev);
}

struct dt_devdax_dev *dt_devdax_add(struct dt_devdax_devs *t,
				    const struct dt_devdax_dev *d)
{
	struct dt_devdax_dev *n;

	if (t->n >= DT_DEVDAX_DEVS)
		return NULL;
	n = &t->v[t->n++];
	*n = *d;
	n->faults = 0;
	memset(n->why, 0, sizeof(n->why));
	return n;
}

static void human(char *out, size_t len, __u64 b, const char *k, const char *m,
		  const char *g)
{
	if (b && !(b % (1ULL << 30)))
		snprintf(out, len, "%llu%s", b >> 30, g);
	else if (b && !(b % (1ULL << 20)))
		snprintf(out, len, "%llu%s", b >> 20, m);
	else
		snprintf(out, len, "%llu%s", b >> 10, k);
}

void dt_devdax_describe(char *out, size_t len, const struct dt_devdax_dev *d)
{
	char name[DT_DEVDAX_NAME_LEN + 16], align[24], size[24];

	if (d->name[0])
		snprintf(name, sizeof(name), "%s", d->name);
	else
		snprintf(name, sizeof(name), "dev %u:%u", d->dev >> 20, d->dev & 0xfffff);
	if (!d->geom.align) {
		snprintf(out, len, "%s (alignment unknown)", name);
		return;
	}
	human(align, sizeof(align), d->geom.align, "K", "M", "G");
	human(size, sizeof(size), d->geom.size, " KiB", " MiB", " GiB");
	snprintf(out, len, "%s (%s-aligned, %s)", name, align, size);
}

/*
 * The drivers' refusals and what makes the fault map whole units: the
 * same checks as include/dt_devdax.h lists, as the user meets them.
 */
const char *dt_devdax_hint(enum dt_devdax_why w)
{
	switch (w) {
	case DT_DD_ALIGN_SMALLER:
		return "the device's unit is smaller than the attempt, which the "
		       "kernel repeats smaller (expected; for 2 MiB or 1 GiB "
		       "mappings: ndctl create-namespace -a 2M or -a 1G)";
	case DT_DD_ALIGN_LARGER:
		return "a fault smaller than the device's unit is refused "
		       "(SIGBUS): the VMA has huge faults disabled "
		       "(MADV_NOHUGEPAGE, prctl PR_SET_THP_DISABLE)";
	case DT_DD_PAST_END:
		return "the mapping goes past the device's end (SIGBUS): map at "
		       "most its size";
	case DT_DD_VMA_UNALIGNED:
		return "the VMA no longer starts and ends on the device's "
		       "alignment (mremap?): SIGBUS";
	case DT_DD_PRIVATE:
		return "a private mapping of a device-DAX device (SIGBUS): map "
		       "it MAP_SHARED";
	case DT_DD_UNEXPLAINED:
		return "SIGBUS for a reason none of the driver's checks daxtrace "
		       "sees explains (the device being removed?)";
	case DT_DD_UNKNOWN:
		return "the device was gone before daxtrace read its alignment";
	default:
		return NULL;
	}
}
