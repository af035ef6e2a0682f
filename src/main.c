/* main.c - minimal dispatcher (conv branch): `medium2jekyll convert ...`.
 * The lead merges the real CLI. */
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>

#include "cmd_convert.h"

int main(int argc, char **argv)
{
	struct html2md_opts o = { NULL, false, NULL, NULL, NULL };
	struct m2j_err err = { 0, "" };
	int rc;

	if (argc < 2 || strcmp(argv[1], "convert") != 0) {
		fprintf(stderr, "usage: medium2jekyll convert [FILE] | "
		                "convert --batch IN_DIR OUT_DIR\n");
		return 2;
	}
	xmlInitParser();
	rc = cmd_convert(argc - 1, argv + 1, &o, &err);
	if (rc != 0 && err.msg[0])
		fprintf(stderr, "medium2jekyll: %s\n", err.msg);
	xmlCleanupParser();
	return rc;
}
