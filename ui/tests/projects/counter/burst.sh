# Prints 1..n at once, pauses, then n+1..2n: more output than a follower keeps, arriving after it started reading.
n=$1; pause=$2
seq 1 "$n"
sleep "$pause"
seq $((n + 1)) $((n * 2))
