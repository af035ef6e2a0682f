#!/bin/sh
# The scheduled-run recipes of examples/, run as written, with one feed
# down:
#  - the CI workflow (examples/github/sync.yml): its `run:` steps, read from
#    the YAML in order, run with bash -eo pipefail as GitHub runs them, in a
#    clone of a site whose remote is a bare repository: the healthy feeds'
#    posts are committed and pushed, and the job still fails;
#  - the crontab (examples/cron/medium2jekyll.crontab) under cron's
#    environment (env -i PATH=/usr/bin:/bin) with the binary `make install`
#    put in PREFIX/bin (a DESTDIR here: its paths are the only rewrite);
#  - the systemd units: systemd-analyze verify, a non-root User=, and their
#    ExecStart=/ExecStopPost= lines run in WorkingDirectory.
set -u
. "$M2J_ROOT/tests/e2e/lib.sh"
ex="$M2J_ROOT/examples"
for tool in git ruby; do
	command -v $tool >/dev/null 2>&1 || { skip "recipes" "$tool not found"; finish; }
done
www="$WORK/www"
python3 "$M2J_ROOT/tests/gen_medium_feeds.py" "$www" 2 2 1 || { fail "recipes: generate feeds" ""; finish; }
start_server "$www"

# a site with two healthy feeds and one down
mksite() {
	mkdir -p "$1/_layouts"
	printf 'title: Recipes\nexclude: [medium2jekyll.yml, .medium2jekyll-state.yml, .medium2jekyll-state.yml.lock]\n' >"$1/_config.yml"
	printf -- '---\n---\n<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>{{ content }}</body></html>\n' >"$1/_layouts/post-external.html"
	printf 'timeout: 5\nfeeds:\n  - url: %s/feed-0.xml\n  - url: %s/feed-1.xml\n  - url: %s/status/503\n' \
		"$SERVER_URL" "$SERVER_URL" "$SERVER_URL" >"$1/medium2jekyll.yml"
}

# ---- the README shows the example files, not copies that drift ------------
python3 - "$M2J_ROOT/README.md" "$ex" <<'PY' >"$WORK/readme.log" 2>&1 && pass "README: its cron, systemd and workflow blocks are lines of the examples/ files" || fail "README: recipes match examples/" "$(cat "$WORK/readme.log")"
import re, sys
readme = open(sys.argv[1]).read()
sec = readme.split("### Scheduled runs", 1)[1].split("\n### ", 1)[0]
blocks = re.findall(r"```(\w+)\n(.*?)```", sec, re.S)
files = {"cron": ["cron/medium2jekyll.crontab"], "ini": ["systemd/medium2jekyll.service", "systemd/medium2jekyll.timer"],
         "yaml": ["github/sync.yml"]}
assert sorted(b[0] for b in blocks) == ["cron", "ini", "yaml"], [b[0] for b in blocks]
for kind, text in blocks:
    have = set()
    for f in files[kind]:
        have |= set(open(sys.argv[2] + "/" + f).read().split("\n"))
    for line in text.split("\n"):
        if line.strip() and not line.startswith("# /etc/") and line not in have:
            sys.exit("README %s line not in examples/: %r" % (kind, line))
PY

# ---- the CI workflow -------------------------------------------------------
wf="$ex/github/sync.yml"
steps="$WORK/steps"
mkdir -p "$steps"
ruby -ryaml -e '
  steps = YAML.load_file(ARGV[0])["jobs"]["sync"]["steps"]
  abort "first step is not actions/checkout" unless steps[0]["uses"].to_s.start_with?("actions/checkout@")
  steps.each_with_index do |s, i|
    abort "step #{i} has if:, not plain bash" if s.key?("if")
    File.write(format("%s/%02d.sh", ARGV[1], i), s["run"]) if s["run"]
  end' "$wf" "$steps" 2>"$WORK/rb"
n=$(ls "$steps" | wc -l)
[ "$n" -ge 3 ] && pass "workflow: the site checked out by actions/checkout, $n run: steps read from the YAML" \
	|| { fail "workflow: read the steps" "$(cat "$WORK/rb")"; finish; }
grep -q 'apt-get update' "$steps"/*.sh && grep -q 'apt-get install -y -qq ./.medium2jekyll-src/medium2jekyll_\*.deb' "$steps"/*.sh \
	&& pass "workflow: apt-get update before installing, and installs the package it built" || fail "workflow: install step" "$(cat "$steps"/*.sh)"

git init -q --bare "$WORK/remote.git"
git -C "$WORK/remote.git" symbolic-ref HEAD refs/heads/main
mksite "$WORK/seed"
( cd "$WORK/seed" && git init -q -b main . && git add -A && git -c user.name=t -c user.email=t@localhost commit -q -m init \
	&& git remote add origin "$WORK/remote.git" && git push -q origin main ) || { fail "workflow: seed repository" ""; finish; }
git clone -q "$WORK/remote.git" "$WORK/ws"
mkdir -p "$WORK/bin" "$WORK/runner"
ln -s "$M2J_BIN" "$WORK/bin/medium2jekyll"
: >"$WORK/gh_output"
last=0
for s in "$steps"/*.sh; do
	( cd "$WORK/ws" && HOME="$WORK" PATH="$WORK/bin:/usr/bin:/bin" RUNNER_TEMP="$WORK/runner" GITHUB_OUTPUT="$WORK/gh_output" \
		GIT_CONFIG_NOSYSTEM=1 bash --noprofile --norc -eo pipefail "$s" ) >>"$WORK/job.log" 2>&1
	last=$?
	echo "== $(basename "$s") exit $last" >>"$WORK/job.log"
	[ $last -eq 0 ] || break
done
laststep=$(ls "$steps" | tail -1)
grep -q "== $laststep exit 1" "$WORK/job.log" && pass "workflow: every step runs, and the last fails the job (exit 1)" \
	|| fail "workflow: the job fails at its last step" "$(cat "$WORK/job.log")"
grep -q 'status/503' "$WORK/job.log" && grep -q '::error::' "$WORK/job.log" \
	&& pass "workflow: the failing feed is named in the log" || fail "workflow: failing feed named" "$(cat "$WORK/job.log")"
git clone -q "$WORK/remote.git" "$WORK/check"
np=$(git -C "$WORK/check" ls-files _posts | wc -l)
[ "$np" -eq 4 ] && git -C "$WORK/check" ls-files | grep -qx '.medium2jekyll-state.yml' \
	&& ! git -C "$WORK/check" ls-files | grep -q -e '\.lock$' -e '^\.medium2jekyll-src' \
	&& pass "workflow: the healthy feeds' 4 posts and the state are pushed (no lock file)" \
	|| fail "workflow: posts pushed" "$np posts; $(git -C "$WORK/check" ls-files)"
# a second run: no new post; only the state (the failure count) committed
c1=$(git -C "$WORK/remote.git" rev-list --count main)
for s in "$steps"/*.sh; do
	( cd "$WORK/ws" && HOME="$WORK" PATH="$WORK/bin:/usr/bin:/bin" RUNNER_TEMP="$WORK/runner" GITHUB_OUTPUT="$WORK/gh_output" \
		bash --noprofile --norc -eo pipefail "$s" ) >>"$WORK/job2.log" 2>&1 || break
done
c2=$(git -C "$WORK/remote.git" rev-list --count main)
changed=$(git -C "$WORK/remote.git" diff --name-only main~1 main 2>/dev/null)
[ "$c2" -eq $((c1 + 1)) ] && [ "$changed" = .medium2jekyll-state.yml ] && grep -q '::error::' "$WORK/job2.log" \
	&& pass "workflow: a second run adds no post, commits the state's failure count, fails again" \
	|| fail "workflow: second run" "$c1 -> $c2 commits, changed: $changed; $(cat "$WORK/job2.log")"

# ---- cron -----------------------------------------------------------------
if [ -x "$M2J_ROOT/build/medium2jekyll" ] && command -v make >/dev/null 2>&1; then
	root="$WORK/root"
	make --no-print-directory -C "$M2J_ROOT" -o build/medium2jekyll install DESTDIR="$root" PREFIX=/usr/local >"$WORK/make.log" 2>&1 \
		|| fail "cron: make install" "$(tail -5 "$WORK/make.log")"
	site="$WORK/srv-site"
	mksite "$site"
	tab="$ex/cron/medium2jekyll.crontab"
	# cron's environment, the crontab's VAR=value lines, then each job line's command
	envs=$(grep -E '^[A-Za-z_][A-Za-z_0-9]*=' "$tab" | sed "s|/usr/local/bin|$root/usr/local/bin|g")
	job=$(grep -E '^[*0-9]' "$tab" | grep 'sync' | head -1 | cut -d' ' -f6- | sed "s|/srv/site|$site|g")
	# shellcheck disable=SC2086
	env -i PATH=/usr/bin:/bin HOME="$WORK" SHELL=/bin/sh LOGNAME=cron $envs /bin/sh -c "$job" >"$WORK/cron.out" 2>&1
	rc=$?
	np=$(ls "$site/_posts" 2>/dev/null | wc -l)
	[ "$np" -eq 4 ] && grep -q 'status/503' "$WORK/cron.out" && ! grep -q 'not found' "$WORK/cron.out" \
		&& pass "cron: the line runs as written under env -i PATH=/usr/bin:/bin: posts written, the failing feed named" \
		|| fail "cron: the line as written" "rc=$rc posts=$np $(cat "$WORK/cron.out")"
	if command -v jekyll >/dev/null 2>&1; then
		[ -n "$(find "$site/_site" -name '*.html' 2>/dev/null | head -1)" ] \
			&& pass "cron: the site is rebuilt even though a feed failed" || fail "cron: rebuilt after a failed feed" "$(cat "$WORK/cron.out")"
	fi
	# without the PATH line (the old README's line), cron does not find make install's binary
	env -i PATH=/usr/bin:/bin HOME="$WORK" /bin/sh -c "cd $site && medium2jekyll sync -q" >"$WORK/cron2.out" 2>&1
	grep -q 'not found' "$WORK/cron2.out" && pass "cron: (the line without its PATH line fails: the test can tell)" \
		|| skip "cron: negative check" "medium2jekyll is in /usr/bin here"
	status_job=$(grep -E '^[*0-9]' "$tab" | grep 'status' | head -1 | cut -d' ' -f6- | sed "s|/srv/site|$site|g")
	# shellcheck disable=SC2086
	env -i PATH=/usr/bin:/bin HOME="$WORK" $envs /bin/sh -c "$status_job" >"$WORK/cron3.out" 2>&1
	grep -q 'status/503: ' "$WORK/cron3.out" && pass "cron: the daily status line prints the feeds when one fails" \
		|| fail "cron: daily status" "$(cat "$WORK/cron3.out")"
else
	skip "cron" "build/medium2jekyll not built"
fi

# ---- systemd ----------------------------------------------------------------
svc="$ex/systemd/medium2jekyll.service"
tim="$ex/systemd/medium2jekyll.timer"
user=$(sed -n 's/^User=//p' "$svc")
[ -n "$user" ] && [ "$user" != root ] && [ "$user" != 0 ] && pass "systemd: the service runs as a non-root User= ($user)" \
	|| fail "systemd: non-root User=" "'$user'"
if command -v systemd-analyze >/dev/null 2>&1; then
	u="$WORK/units"
	mkdir -p "$u" "$WORK/man/man1"
	cp "$M2J_ROOT/docs/medium2jekyll.1" "$WORK/man/man1/"
	# the binary as the package installs it, else make install's copy
	bin=/usr/bin/medium2jekyll
	[ -x "$bin" ] || bin="$WORK/root/usr/local/bin/medium2jekyll"
	sed "s|/usr/bin/medium2jekyll|$bin|" "$svc" >"$u/medium2jekyll.service"
	cp "$tim" "$u/"
	if MANPATH="$WORK/man" systemd-analyze verify "$u/medium2jekyll.service" "$u/medium2jekyll.timer" >"$WORK/verify.log" 2>&1; then
		pass "systemd: systemd-analyze verify accepts both units"
	else
		fail "systemd: systemd-analyze verify" "$(cat "$WORK/verify.log")"
	fi
	sed 's/^User=.*/User=root/' "$u/medium2jekyll.service" >"$u/bad.service"
	sed -i 's/^ExecStart=.*/ExecStart=\/nonexistent sync/' "$u/bad.service"
	MANPATH="$WORK/man" systemd-analyze verify "$u/bad.service" >/dev/null 2>&1 \
		&& fail "systemd: verify can fail" "a unit with a missing binary passed" || pass "systemd: (verify rejects a unit with a missing binary: the test can tell)"
	# the service's commands, in order, in its WorkingDirectory (ExecStopPost= runs even when ExecStart= failed)
	site="$WORK/svc-site"
	mksite "$site"
	wd=$(sed -n 's/^WorkingDirectory=//p' "$svc")
	start=$(sed -n 's/^ExecStart=//p' "$u/medium2jekyll.service")
	post=$(sed -n 's/^ExecStopPost=//p' "$u/medium2jekyll.service")
	[ "$wd" = /srv/site ] || fail "systemd: WorkingDirectory" "$wd"
	(cd "$site" && env -i PATH=/usr/bin:/bin HOME="$WORK" $start) >"$WORK/svc.out" 2>&1
	rc=$?
	np=$(ls "$site/_posts" 2>/dev/null | wc -l)
	[ $rc -eq 1 ] && [ "$np" -eq 4 ] && pass "systemd: ExecStart= writes the healthy feeds' posts and exits 1 (unit failed, visible)" \
		|| fail "systemd: ExecStart=" "rc=$rc posts=$np $(cat "$WORK/svc.out")"
	if command -v jekyll >/dev/null 2>&1 && [ -x "${post%% *}" ]; then
		(cd "$site" && env -i PATH=/usr/bin:/bin HOME="$WORK" $post) >>"$WORK/svc.out" 2>&1 \
			&& [ -n "$(find "$site/_site" -name '*.html' | head -1)" ] && pass "systemd: ExecStopPost= rebuilds the site" \
			|| fail "systemd: ExecStopPost=" "$(cat "$WORK/svc.out")"
	fi
else
	skip "systemd: verify" "systemd-analyze not installed (Debian: systemd)"
fi
finish
