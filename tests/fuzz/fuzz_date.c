/* fuzz_date.c - libFuzzer entry point; the property check is fz_check_date in
 * checks.h (also replayed by `make check` over tests/fuzz/regressions/date). */
#include "checks.h"

#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *bad = fz_check_date(data, size);

	if (bad) {
		fprintf(stderr, "fuzz_date: property broken: %s\n", bad);
		abort();
	}
	return 0;
}
