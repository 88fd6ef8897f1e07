# Prints "<label> i of n" every <delay> seconds, then "counted n lines": output a follower sees arrive over time.
n=$1; delay=$2; label=$3
i=1
while [ "$i" -le "$n" ]; do
  echo "$label $i of $n"
  sleep "$delay"
  i=$((i + 1))
done
echo "counted $n lines"
