# Debian chroots for what this machine lacks: CPython versions that pyenv
# does not have (Debian unstable's python3.X), and an older glibc with its own
# gcc (tools/build_oldglibc.sh).  Sourced by tools/build_release.sh,
# tools/check_wheel.sh and tools/build_oldglibc.sh; needs root, debootstrap
# (installed if missing) and Debian's package registry.
#
#   chroot_dir SUITE            where the chroot of SUITE lives (a cache:
#                               $GRADIENT_EXT_CHROOTS, else ~/.cache/gradient_ext)
#   chroot_open SUITE DIR PKG.. make or reuse it, lock it (until the shell
#                               exits), mount /proc and /dev in it
#   chroot_close DIR            unmount them and unlock: the caller's EXIT trap
#                               calls it
#   chroot_run DIR CMD...       CMD inside, with a clean environment
#   host_python 3.X             a python3.X of this machine (pyenv's newest
#                               3.X.*, else one on PATH), or nothing

chroot_dir() {
    echo "${GRADIENT_EXT_CHROOTS:-${XDG_CACHE_HOME:-$HOME/.cache}/gradient_ext}/debian-$1"
}

host_python() {
    local v=$1 root py
    root="$(pyenv root 2>/dev/null || true)"
    if [ -n "$root" ]; then
        py="$(ls -d "$root"/versions/"$v".*/bin/python"$v" 2>/dev/null | sort -V | tail -n 1)"
        [ -n "$py" ] && { echo "$py"; return; }
    fi
    command -v "python$v" || true
}

chroot_close() {
    local dir=$1 m
    for m in dev proc; do
        if mountpoint -q "$dir/$m"; then umount "$dir/$m" || umount -l "$dir/$m"; fi
    done
    exec 9>&-       # the lock
}

chroot_open() {
    local suite=$1 dir=$2; shift 2
    local stamp="$dir/.gradient_ext-packages"
    mkdir -p "$(dirname "$dir")"
    # One user of a chroot at a time (CI and a developer may share the cache);
    # the lock is released when this shell exits.
    exec 9>"$dir.lock"
    flock 9
    if ! command -v debootstrap >/dev/null; then
        apt-get update -qq >/dev/null && apt-get install -y -qq debootstrap >/dev/null
    fi
    if [ ! -x "$dir/usr/bin/apt-get" ]; then
        # a half-made chroot (interrupted) is started again; never while mounted
        umount "$dir/proc" "$dir/dev" 2>/dev/null || true
        rm -rf --one-file-system "$dir"
        mkdir -p "$dir"
        debootstrap --variant=minbase --include=ca-certificates "$suite" "$dir" \
            >"$dir.debootstrap.log" 2>&1 || { tail -5 "$dir.debootstrap.log"; return 1; }
    fi
    cp /etc/resolv.conf "$dir/etc/resolv.conf"
    # pip inside trusts what the host trusts (the host's bundle may hold a local CA)
    cp /etc/ssl/certs/ca-certificates.crt "$dir/etc/ssl/certs/ca-certificates.crt"
    mountpoint -q "$dir/proc" || mount --bind /proc "$dir/proc"
    mountpoint -q "$dir/dev" || mount --bind /dev "$dir/dev"
    local missing=() pkg
    for pkg in "$@"; do grep -qx "$pkg" "$stamp" 2>/dev/null || missing+=("$pkg"); done
    if ((${#missing[@]})); then
        # unstable's Release file may be past its validity date: not checked
        chroot_run "$dir" bash -c "apt-get -o Acquire::Check-Valid-Until=false update -qq \
            && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${missing[*]}" \
            >"$dir.apt.log" 2>&1 || { tail -5 "$dir.apt.log"; return 1; }
        printf '%s\n' "${missing[@]}" >>"$stamp"     # installed: not asked for again
    fi
}

chroot_run() {
    local dir=$1; shift
    local keep=() var
    for var in CI PIP_DEFAULT_TIMEOUT http_proxy https_proxy no_proxy \
               $(compgen -e | grep '^GRADIENT_EXT_' || true); do
        [ -n "${!var:-}" ] && keep+=("$var=${!var}")
    done
    # pip and ssl use the bundle chroot_open copied in (pip's own may lack a local CA)
    local ca=/etc/ssl/certs/ca-certificates.crt
    env -i HOME=/root LANG=C.UTF-8 PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        PIP_CERT="$ca" SSL_CERT_FILE="$ca" "${keep[@]}" chroot "$dir" "$@"
}
