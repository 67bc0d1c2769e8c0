#!/usr/bin/env bash
# Grading speed, old against new, side by side on this machine: N copies of
# the reference answers to LESSONS, graded by kata at OLD (default bbb0eed,
# before the sandbox) and at NEW (default HEAD), each in a clean checkout
# of its own commit, one after the other, twice (ABAB), with a warm go
# build cache for both (the first pass of each warms it and is reported
# too).
#
#   scripts/bench-grade.sh            # 10 submissions of lessons 02-03
#   N=20 LESSONS=01-10 scripts/bench-grade.sh
set -euo pipefail
cd "$(dirname "$0")/.."
OLD=${OLD:-bbb0eed}
NEW=${NEW:-HEAD}
N=${N:-10}
LESSONS=${LESSONS:-02-03}
work=$(mktemp -d)
trap 'git worktree remove --force "$work/old" >/dev/null 2>&1 || true; git worktree remove --force "$work/new" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git worktree add -q --detach "$work/old" "$OLD"
git worktree add -q --detach "$work/new" "$NEW"
(cd "$work/old" && go build -o "$work/kata-old" ./cmd/kata)
(cd "$work/new" && go build -o "$work/kata-new" ./cmd/kata)

# The class: N submissions holding the reference files of each lesson.
lo=${LESSONS%-*}; hi=${LESSONS#*-}
subs=()
for i in $(seq 1 "$N"); do
  s="$work/class/student$i"
  for d in solutions/*/; do
    name=$(basename "$d"); id=$((10#${name%%-*}))
    if (( id >= 10#$lo && id <= 10#$hi )); then
      mkdir -p "$s/lessons/$name"
      cp "$d"*.go "$s/lessons/$name/"
    fi
  done
  subs+=("$s")
done

run() { # run NAME: grade the class with kata-NAME in its own checkout
  local start end
  start=$(date +%s.%N)
  (cd "$work/$1" && "$work/kata-$1" grade -lessons "$LESSONS" -csv "$work/$1.csv" "${subs[@]}" >"$work/$1.out" 2>"$work/$1.err") || true
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}
declare -A t
for pass in 1 2; do
  for k in old new; do
    t[$k$pass]=$(run $k)
    echo "pass $pass: $k ($( [ $k = old ] && echo "$OLD" || echo "$NEW")): ${t[$k$pass]} s for $N submissions of lessons $LESSONS"
  done
done
echo "scores (old, then new):"
cut -d, -f1,3- "$work/old.csv" | head -3
cut -d, -f1,3- "$work/new.csv" | head -3
printf 'warm: new/old = %.2f (%.1f s against %.1f s); per submission: old %.1f s, new %.1f s\n' \
  "$(echo "${t[new2]} / ${t[old2]}" | bc -l)" "${t[new2]}" "${t[old2]}" \
  "$(echo "${t[old2]} / $N" | bc -l)" "$(echo "${t[new2]} / $N" | bc -l)"
