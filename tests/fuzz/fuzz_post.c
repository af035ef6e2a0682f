/* fuzz_post.c - libFuzzer entry point; the property check is fz_check_post in
 * checks.h (also replayed by `make check` over tests/fuzz/regressions/post). */
#include "checks.h"

#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *bad = fz_check_post(data, size);

	if (bad) {
		fprintf(stderr, "fuzz_post: property broken: %s\n", bad);
		abort();
	}
	return 0;
}
