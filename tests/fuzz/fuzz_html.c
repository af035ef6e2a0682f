/* fuzz_html.c - libFuzzer entry point; the property check is fz_check_html in
 * checks.h (also replayed by `make check` over tests/fuzz/regressions/html). */
#include "checks.h"

#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *bad = fz_check_html(data, size);

	if (bad) {
		fprintf(stderr, "fuzz_html: property broken: %s\n", bad);
		abort();
	}
	return 0;
}
