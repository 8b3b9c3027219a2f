// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include "kallsyms.h"

__u64 dt_kallsyms_addr(const char *name)
{
	FILE *f = fopen("/proc/kallsyms", "re");
	char line[512], sym[256], type;
	unsigned long long addr;
	__u64 found = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		/* "ffffffff9bd27698 D vmemmap_base", modules add "\t[mod]" */
		if (sscanf(line, "%llx %c %255s", &addr, &type, sym) == 3 &&
		    !strcmp(sym, name) && !strchr(line, '[')) {
			found = addr;
			break;
		}
	}
	fclose(f);
	return found;
}
