// SPDX-License-Identifier: GPL-2.0
/*
 * The names of the files forensics are about: a dt_file_event's dentries
 * under their mount point (mountinfo), kept by device and inode for the
 * forensics that follow.
 */
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>
#include "filenames.h"
#include "mountinfo.h"

int dt_mountinfo_find(FILE *mi, __u32 s_dev, struct dt_mount *m)
{
	struct dt_mountinfo_line l;
	char line[DT_MOUNTINFO_LINE];
	bool found = false;

	while (fgets(line, sizeof(line), mi)) {
		if (dt_mountinfo_parse(line, &l) || l.dev != s_dev)
			continue;
		/* the mount of the filesystem's own root names every file */
		if (found && strcmp(l.root, "/"))
			continue;
		/* cut, a root would strip the wrong prefix: never a wrong name */
		if (strlen(l.point) >= sizeof(m->point) || strlen(l.root) >= sizeof(m->root))
			continue;
		memcpy(m->point, l.point, strlen(l.point) + 1);
		memcpy(m->root, l.root, strlen(l.root) + 1);
		found = true;
		if (!strcmp(l.root, "/"))
			break;
	}
	return found ? 0 : -1;
}

/* appends @s to @out (of @len, holding @*at bytes), cut to fit */
static void put(char *out, size_t len, size_t *at, const char *s, size_t n)
{
	if (*at + 1 >= len)
		return;
	if (n > len - 1 - *at)
		n = len - 1 - *at;
	memcpy(out + *at, s, n);
	*at += n;
	out[*at] = '\0';
}

void dt_file_path(char *out, size_t len, const struct dt_file_event *fe,
		  const struct dt_mount *m)
{
	char path[DT_PATH_DEPTH * DT_DENTRY_NAME_LEN + 8] = "";
	size_t at = 0, n = fe->nnames < DT_PATH_DEPTH ? fe->nnames : DT_PATH_DEPTH;
	const char *rel = path, *root = m ? m->root : "/";
	size_t rlen = strlen(root);

	out[0] = '\0';
	if (!n)
		return;		/* no file, or its name unreadable */
	if (!fe->rooted)
		put(path, sizeof(path), &at, "/...", 4);
	for (size_t i = n; i-- > 0;) {
		put(path, sizeof(path), &at, "/", 1);
		put(path, sizeof(path), &at, fe->names[i],
		    strnlen(fe->names[i], DT_DENTRY_NAME_LEN));
	}
	/* a bind mount of a directory: the path from that directory */
	if (m && strcmp(root, "/")) {
		if (!fe->rooted || strncmp(path, root, rlen) ||
		    (path[rlen] && path[rlen] != '/'))
			m = NULL;	/* not under the mount's root: no mount names it */
		else
			rel = path + rlen;
	}
	at = 0;
	if (m) {
		if (strcmp(m->point, "/") || !*rel)
			put(out, len, &at, m->point, strlen(m->point));
		put(out, len, &at, rel, strlen(rel));
	} else {
		char dev[32];

		snprintf(dev, sizeof(dev), "dev %u:%u:", fe->s_dev >> 20, fe->s_dev & 0xfffff);
		put(out, len, &at, dev, strlen(dev));
		put(out, len, &at, path, strlen(path));
	}
}

static size_t slot_of(const struct dt_filenames *t, __u32 s_dev, __u64 ino)
{
	__u64 h = (ino ^ (__u64)s_dev << 32) * 0x9e3779b97f4a7c15ULL;

	return (size_t)(h >> 32) & (t->cap - 1);
}

static struct dt_filename *find(const struct dt_filenames *t, __u32 s_dev, __u64 ino)
{
	if (!t->cap)
		return NULL;
	for (size_t i = slot_of(t, s_dev, ino);; i = (i + 1) & (t->cap - 1)) {
		struct dt_filename *e = &t->v[i];

		if (!e->used || (e->s_dev == s_dev && e->ino == ino))
			return e;
	}
}

static int grow(struct dt_filenames *t)
{
	struct dt_filenames n = { .cap = t->cap ? t->cap * 2 : 64 };

	n.v = calloc(n.cap, sizeof(*n.v));
	if (!n.v)
		return -1;
	for (size_t i = 0; i < t->cap; i++)
		if (t->v[i].used)
			*find(&n, t->v[i].s_dev, t->v[i].ino) = t->v[i];
	n.n = t->n;
	free(t->v);
	*t = n;
	return 0;
}

int dt_filenames_put(struct dt_filenames *t, __u32 s_dev, __u64 ino, const char *path)
{
	struct dt_filename *e;

	/* at most three quarters full: a free slot ends every search */
	if ((t->n + 1) * 4 > t->cap * 3 && grow(t))
		return -1;
	e = find(t, s_dev, ino);
	if (!e->used) {
		e->used = true;
		e->s_dev = s_dev;
		e->ino = ino;
		t->n++;
	}
	snprintf(e->path, sizeof(e->path), "%s", path);
	return 0;
}

const char *dt_filenames_get(const struct dt_filenames *t, __u32 s_dev, __u64 ino)
{
	const struct dt_filename *e = find(t, s_dev, ino);

	return e && e->used ? e->path : NULL;
}

void dt_filenames_free(struct dt_filenames *t)
{
	free(t->v);
	memset(t, 0, sizeof(*t));
}
