/* server.h - starts tests/server.py (the HTTP test server) on 127.0.0.1 for
 * a unit test, and stops it.  Include once, in the test's .c file.
 *   start_server("fixtures/http") serves that folder of the repository:
 *   0 when it runs (base = "http://127.0.0.1:PORT", log_file its request
 *   log, fixdir the absolute folder served), 1 when it cannot (the test
 *   prints SKIP). */
#ifndef M2J_TEST_SERVER_H
#define M2J_TEST_SERVER_H

#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"

extern char **environ;

static pid_t server_pid = -1;
static char server_dir[] = "/tmp/m2j-srv-XXXXXX";
static char port_file[PATH_MAX], log_file[PATH_MAX], fixdir[PATH_MAX];
static char base[64];

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static void stop_server(void)
{
	if (server_pid > 0) {
		kill(server_pid, SIGTERM);
		waitpid(server_pid, NULL, 0);
		server_pid = -1;
	}
	unlink(port_file);
	unlink(log_file);
	rmdir(server_dir);
}

static int start_server(const char *folder)
{
	const char *root = getenv("M2J_ROOT");
	char script[PATH_MAX], cwd[PATH_MAX / 2];
	char *argv[9];
	struct buf pb = BUF_INIT(64);
	int i, st;

	if (!root || root[0] != '/') {
		/* file:// URLs need an absolute path */
		if (!getcwd(cwd, sizeof cwd))
			return 1;
		root = cwd;
	}
	snprintf(script, sizeof script, "%s/tests/server.py", root);
	snprintf(fixdir, sizeof fixdir, "%s/%s", root, folder);
	if (access(script, R_OK) != 0 || !mkdtemp(server_dir))
		return 1;
	snprintf(port_file, sizeof port_file, "%s/port", server_dir);
	snprintf(log_file, sizeof log_file, "%s/log", server_dir);
	argv[0] = (char *)(uintptr_t)"python3";
	argv[1] = script;
	argv[2] = (char *)(uintptr_t)"--root";
	argv[3] = fixdir;
	argv[4] = (char *)(uintptr_t)"--port-file";
	argv[5] = port_file;
	argv[6] = (char *)(uintptr_t)"--log";
	argv[7] = log_file;
	argv[8] = NULL;
	if (posix_spawnp(&server_pid, "python3", NULL, NULL, argv, environ) != 0) {
		server_pid = -1;
		return 1;
	}
	for (i = 0; i < 200; i++) {
		if (access(port_file, R_OK) == 0)
			break;
		if (waitpid(server_pid, &st, WNOHANG) == server_pid) {
			server_pid = -1;
			return 1;
		}
		sleep_ms(50);
	}
	if (buf_read_file(&pb, port_file) != 0 || pb.len == 0) {
		buf_release(&pb);
		return 1;
	}
	while (pb.len && pb.data[pb.len - 1] == '\n')
		pb.data[--pb.len] = '\0';
	snprintf(base, sizeof base, "http://127.0.0.1:%s", pb.data);
	buf_release(&pb);
	return 0;
}

#endif
