#!/usr/bin/env bash
# Writes the base image of the services' JVM images as a `docker save` tarball, built from this machine alone (the
# build reaches no container registry): a Java runtime jlinked from the build's JDK (JAVA_HOME) at /opt/java, the
# C libraries it loads, copied from this machine, user 185 (jboss, as in Red Hat's OpenJDK images) and /tmp.
#   deploy/images/jre-base-image.sh <out.tar> [<base in use>]
# Nothing to do when <out.tar> is newer than this script, or when the base in use (the root pom's
# quarkflow.image.base) is another image: a real deployment names a maintained one there, e.g.
# registry.access.redhat.com/ubi9/openjdk-17-runtime:1.21, which gets security updates.
set -euo pipefail

out="$1"
[[ "${2:-tar://$out}" == "tar://$out" ]] || exit 0
[[ -f "$out" && "$out" -nt "${BASH_SOURCE[0]}" ]] && exit 0
[[ "$(uname -s)" == Linux ]] || { echo "the offline base image is built on Linux only" >&2; exit 1; }
java_home="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
case "$(uname -m)" in
  x86_64) arch=amd64 ;;
  aarch64) arch=arm64 ;;
  *) echo "no image architecture for $(uname -m)" >&2; exit 1 ;;
esac

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
rootfs="$work/rootfs"
mkdir -p "$rootfs/etc" "$rootfs/tmp" "$rootfs/home/jboss" "$work/image"

# The modules the services' libraries use (jdeps), and a few the JDK loads by name (DNS, elliptic curves, zip file
# systems, agents). java.desktop only for java.beans (Quarkus's core, PostgreSQL's driver): without AWT's libraries.
# The class data sharing archive a JDK ships saves a fraction of each start.
"$java_home/bin/jlink" --output "$rootfs/opt/java" --strip-debug --no-man-pages --no-header-files --compress=2 \
  --generate-cds-archive \
  --exclude-files='glob:/java.desktop/lib/**' \
  --add-modules java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.naming,\
java.net.http,java.scripting,java.security.jgss,java.security.sasl,java.sql,java.transaction.xa,java.xml,\
java.xml.crypto,jdk.crypto.cryptoki,jdk.crypto.ec,jdk.management,jdk.naming.dns,jdk.net,jdk.security.auth,\
jdk.security.jgss,jdk.unsupported,jdk.zipfs

# The libraries the runtime links against, at the paths the dynamic loader looks for them (libjvm is its own).
LD_LIBRARY_PATH="$rootfs/opt/java/lib/server:$rootfs/opt/java/lib" \
  ldd "$rootfs/opt/java/bin/java" $(find "$rootfs/opt/java" -name '*.so') \
  | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\/.*ld-linux/ { print $1 }' \
  | grep -v "^$rootfs/" | sort -u \
  | while read -r library; do
      mkdir -p "$rootfs$(dirname "$library")"
      cp -L "$library" "$rootfs$library"
    done

printf 'root:x:0:0:root:/root:/sbin/nologin\njboss:x:185:0:jboss:/home/jboss:/sbin/nologin\n' > "$rootfs/etc/passwd"
printf 'root:x:0:\n' > "$rootfs/etc/group"
chmod 1777 "$rootfs/tmp"

# One reproducible layer: everything root's, but the home of user 185.
tar_options=(--sort=name --mtime=@0 --numeric-owner --format=gnu -C "$rootfs")
tar -cf "$work/image/layer.tar" --owner=0 --group=0 --exclude=./home/jboss "${tar_options[@]}" .
tar -rf "$work/image/layer.tar" --owner=185 --group=0 "${tar_options[@]}" ./home/jboss
diff_id="sha256:$(sha256sum "$work/image/layer.tar" | cut -d' ' -f1)"
java_version="$("$rootfs/opt/java/bin/java" -version 2>&1 | head -n 1 | tr -d '"')"

cat > "$work/image/config.json" <<JSON
{"architecture": "$arch", "os": "linux",
 "config": {"User": "185", "WorkingDir": "/home/jboss",
            "Env": ["PATH=/opt/java/bin:/usr/bin:/bin", "JAVA_HOME=/opt/java", "LANG=C.UTF-8"]},
 "rootfs": {"type": "layers", "diff_ids": ["$diff_id"]},
 "history": [{"created_by": "deploy/images/jre-base-image.sh",
              "comment": "$java_version jlinked, with the libraries of this machine"}]}
JSON
cat > "$work/image/manifest.json" <<JSON
[{"Config": "config.json", "RepoTags": ["quarkflow/jre-base:latest"], "Layers": ["layer.tar"]}]
JSON

mkdir -p "$(dirname "$out")"
tar -cf "$out.$$" --mtime=@0 -C "$work/image" manifest.json config.json layer.tar
mv -f "$out.$$" "$out"
echo "Wrote the base image $out ($(du -h "$out" | cut -f1))"
