# progress.sh — sourced by the build scripts: run a long, quiet command and print a line
# every PROGRESS_EVERY seconds (default 30) while it runs, on a terminal and in CI logs
# alike, so a first kernel build (5-16 min) never looks hung:
#
#   with_progress LABEL DIR LOG -- COMMAND...
#       [312s] make bzImage: 2140 objects (of ~3100 last time), now in fs/ext4
#
# Progress is read from the objects (*.o) appearing under DIR; the number a successful
# run leaves under DIR is remembered per LABEL (DIR/.progress-LABEL) as the next total.
# COMMAND's output goes to LOG (or, with LOG "-", where ours goes); its exit status is
# returned.

with_progress() {
	local label=$1 dir=$2 log=$3 every=${PROGRESS_EVERY:-30}
	shift 4
	local mark t0 total="" pid rc n last of memo
	mark=$(mktemp)
	t0=$(date +%s)
	memo=$dir/.progress-$(printf '%s' "$label" | tr -c 'A-Za-z0-9' '_')
	[ -f "$memo" ] && total=$(cat "$memo")
	if [ "$log" = - ]; then "$@" & else "$@" >>"$log" 2>&1 & fi
	pid=$!
	while :; do
		# Wake every second so a short command returns at once.
		for _ in $(seq "$every"); do
			kill -0 "$pid" 2>/dev/null || break 2
			sleep 1
		done
		n=$(find "$dir" -name '*.o' -newer "$mark" 2>/dev/null | wc -l)
		last=$(find "$dir" -name '*.o' -newer "$mark" -printf '%T@ %h\n' 2>/dev/null |
			sort -n | tail -n 1 | cut -d' ' -f2-)
		of=""
		[ -n "$total" ] && of=" (of ~$total last time)"
		echo "  [$(( $(date +%s) - t0 ))s] $label: $n objects$of${last:+, now in ${last#"$dir"/}}"
	done
	rc=0
	wait "$pid" || rc=$?
	[ $rc -ne 0 ] || find "$dir" -name '*.o' 2>/dev/null | wc -l > "$memo"
	rm -f "$mark"
	return $rc
}
