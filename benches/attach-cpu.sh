#!/usr/bin/env bash
# What a viewer costs attached to a console-subscriber program with TASKS
# tasks each waking every second (`taskscope serve --tickers`): taskscope
# attach (the dashboard in tmux, and headless) next to tokio-console, on the
# same target, in alternating runs. CPU is utime+stime from /proc over a
# fixed window, so a busy machine stretches wall time, not the figures.
#
#   bash benches/attach-cpu.sh              # ~5.5 min after the build and install
#   ROUNDS=5 WINDOW=30 bash benches/attach-cpu.sh
#
# tokio-console is installed under the target dir by this script only; if
# that fails its row is skipped. Raw samples and screens go to $OUT.
set -euo pipefail

cd "$(dirname "$0")/.."
TASKS=${TASKS:-10000}
ROUNDS=${ROUNDS:-3}
WARMUP=${WARMUP:-5}
WINDOW=${WINDOW:-15}
# console-subscriber's default, as a program calling init() has it.
PUBLISH=${PUBLISH:-1s}
TARGET_DIR=${CARGO_TARGET_DIR:-target/console}
OUT=$TARGET_DIR/attach-cpu
TS=$TARGET_DIR/release/taskscope
TC=$TARGET_DIR/tokio-console/bin/tokio-console
SOCK=attach-cpu-$$
HZ=$(getconf CLK_TCK)

pids=()
cleanup() {
    tmux -L "$SOCK" kill-server 2>/dev/null || true
    # tmux leaves its socket file behind.
    rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$SOCK"
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

echo "# building taskscope (--release --features console) in $TARGET_DIR" >&2
CARGO_TARGET_DIR=$TARGET_DIR cargo build --release --features console --quiet
viewers=(taskscope taskscope-headless)
echo "# installing tokio-console under $TARGET_DIR/tokio-console" >&2
if cargo install tokio-console --locked --quiet --root "$TARGET_DIR/tokio-console" \
    --target-dir "$TARGET_DIR"; then
    viewers+=(tokio-console)
else
    echo "# tokio-console did not install: its row is skipped" >&2
fi
rm -rf "$OUT"
mkdir -p "$OUT"

alive() { sed -n 's/.*"alive": *\([0-9]*\).*/\1/p' "$1" 2>/dev/null | head -1; }
# The task count a screen shows: taskscope's header or tokio-console's title.
shown() { grep -oE '[0-9,]+ tasks|Tasks \([0-9]+\)' "$1" | head -1 | tr -dc 0-9; }
ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }
peak_kb() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status"; }
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
pct() { awk -v d="$1" -v hz="$HZ" -v s="$2" -v e="$3" 'BEGIN {printf "%.1f", 100 * d / hz / (e - s)}'; }
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A free port: the machine is shared.
port=$((20000 + RANDOM % 20000))
while listening "$port"; do port=$((port + 1)); done
url=http://127.0.0.1:$port

"$TS" serve --tickers "$TASKS" --tick 1s --publish-interval "$PUBLISH" \
    --bind "127.0.0.1:$port" 2>"$OUT/target.log" &
target=$!
pids+=("$target")
for _ in $(seq 100); do listening "$port" && break; sleep 0.1; done
listening "$port" || { echo "the target never listened" >&2; exit 1; }

# console-subscriber's aggregator takes in at most 128 events (tokio's
# coop budget) each time it wakes, once a publish interval when its buffer
# is not half full: 10k spawns take it ~80 s at 1s. Measure only once a new
# client is sent every task.
started=$(date +%s)
until (($(alive "$OUT/ready.json" || true) + 0 >= TASKS)); do
    (($(date +%s) - started < 300)) || { echo "the target never showed $TASKS tasks" >&2; exit 1; }
    sleep 5
    "$TS" attach "$url" --headless --duration 2s --report "$OUT/ready.json" >/dev/null 2>&1 || true
    echo "# target ready? a new client sees $(alive "$OUT/ready.json") tasks" >&2
done

# Runs command $2 in a 120x36 terminal named v$1 and prints its pid.
in_tmux() {
    tmux -L "$SOCK" new -d -x 120 -y 36 -s "v$1" "exec $2"
    tmux -L "$SOCK" display -p -t "v$1" '#{pane_pid}'
}

# Starts viewer $1 for run $2 and prints its pid.
start_viewer() {
    case $1 in
    taskscope) in_tmux "$2" "$TS attach $url" ;;
    tokio-console) in_tmux "$2" "$TC $url" ;;
    taskscope-headless)
        "$TS" attach "$url" --headless --duration "$((WARMUP + WINDOW + 2))s" \
            --report "$OUT/headless-$2.json" >/dev/null 2>"$OUT/headless-$2.log" &
        echo $!
        ;;
    none) echo - ;;
    esac
}

# Checks what the viewer showed or saw, and ends it.
stop_viewer() {
    case $1 in
    taskscope | tokio-console)
        local screen=$OUT/screen-$1-$2.txt
        tmux -L "$SOCK" capture-pane -p -t "v$2" >"$screen"
        tmux -L "$SOCK" kill-session -t "v$2"
        (($(shown "$screen") + 0 >= TASKS)) ||
            echo "# warning: $1 (run $2) does not show $TASKS tasks: $screen" >&2
        ;;
    taskscope-headless)
        # Not a child of this shell (started in $(...)): poll for its end.
        while grep -qs '^State:.*[^Z] (' "/proc/$3/status"; do sleep 0.2; done
        (($(alive "$OUT/headless-$2.json") + 0 >= TASKS)) ||
            echo "# warning: headless attach (run $2) did not see $TASKS tasks: $OUT/headless-$2.log" >&2
        ;;
    esac
}

configs=(none "${viewers[@]}")
n=${#configs[@]}
echo -e "viewer\trun\tviewer_cpu_pct\tviewer_peak_kb\ttarget_cpu_pct\ttarget_rss_kb" >"$OUT/samples.tsv"
run=0
for round in $(seq 0 $((ROUNDS - 1))); do
    for i in $(seq 0 $((n - 1))); do
        # Rotated each round so drift on the machine hits every viewer alike.
        v=${configs[$(((i + round) % n))]}
        run=$((run + 1))
        echo "# round $((round + 1))/$ROUNDS: $v" >&2
        pid=$(start_viewer "$v" "$run")
        [[ $pid != - ]] && pids+=("$pid")
        sleep "$WARMUP"
        t0=$(date +%s.%N)
        tt0=$(ticks "$target")
        [[ $pid != - ]] && vt0=$(ticks "$pid")
        sleep "$WINDOW"
        t1=$(date +%s.%N)
        tt1=$(ticks "$target")
        vcpu=- vpeak=-
        if [[ $pid != - ]]; then
            vcpu=$(pct $(($(ticks "$pid") - vt0)) "$t0" "$t1")
            vpeak=$(peak_kb "$pid")
        fi
        echo -e "$v\t$run\t$vcpu\t$vpeak\t$(pct $((tt1 - tt0)) "$t0" "$t1")\t$(rss_kb "$target")" >>"$OUT/samples.tsv"
        stop_viewer "$v" "$run" "$pid"
        # The target settles after the viewer's stream closed.
        sleep 1
    done
done

echo
echo "$TASKS tasks each woken every 1s (\`taskscope serve --tickers $TASKS --tick 1s --publish-interval $PUBLISH\`);"
echo "$ROUNDS runs each, alternating, ${WARMUP}s warm-up then a ${WINDOW}s window; medians; CPU % of one core ($(nproc) cores)."
echo "taskscope $(git rev-parse --short HEAD)$([[ -z $(git status --porcelain) ]] || echo ' (modified)'); $("$TC" --version 2>/dev/null || echo 'no tokio-console')."
echo
echo "| viewer | viewer CPU % | viewer peak RSS MB | target CPU % | target RSS MB |"
echo "|---|---:|---:|---:|---:|"
for v in "${configs[@]}"; do
    awk -F'\t' -v v="$v" '
        function median(a, k,   i, j, t) {
            for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
            return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
        }
        $1 == v { k++; vc[k] = $3; tc[k] = $5; tr[k] = $6; if ($4 != "-" && $4 > peak) peak = $4 }
        END {
            if (v == "none") printf "| no viewer (the target alone) | - | - |"
            else printf "| %s | %.1f | %.1f |", v, median(vc, k), peak / 1024
            printf " %.1f | %.1f |\n", median(tc, k), median(tr, k) / 1024
        }' "$OUT/samples.tsv"
done
echo
for f in "$OUT"/headless-*.json; do
    [[ -e $f ]] && echo "$(basename "$f"): $(alive "$f") tasks alive"
done
for f in "$OUT"/screen-*.txt; do
    [[ -e $f ]] && echo "$(basename "$f"): $(shown "$f") tasks on screen"
done
echo "(peak RSS: the highest of the runs; target RSS: at each window's end)"
