/* fuzz_config.c - libFuzzer entry point; the property check is fz_check_config in
 * checks.h (also replayed by `make check` over tests/fuzz/regressions/config). */
#include "checks.h"

#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *bad = fz_check_config(data, size);

	if (bad) {
		fprintf(stderr, "fuzz_config: property broken: %s\n", bad);
		abort();
	}
	return 0;
}
