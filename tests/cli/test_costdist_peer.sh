# test_costdist_peer.sh: cost distance (cw_costdist, run through the peer
# mode of the unit-test binary, tests/unit/test_costdist.c) against
# scikit-image's MCP_Geometric and GRASS r.cost on seeded random friction
# grids; tests/cli/costdist_peer.py makes them and compares. Each peer is
# skipped, with a message, where it is missing.
# SPDX-License-Identifier: MIT
. tests/cli/lib.sh
TC=$(dirname "$CW")/tests/test_costdist
CW_COSTDIST_BIN=$TC
export CW_COSTDIST_BIN
P="$PY tests/cli/costdist_peer.py"

# grid NAME MAKE-OPTIONS...: makes $T/NAME and computes cityweave's costs.
grid() {
    name=$1
    shift
    $P make "$T/$name" "$@" && CW_COSTDIST_PEER_DIR="$T/$name" "$TC" 2>"$T/$name.err"
}

if [ ! -x "$TC" ]; then
    echo "skipped: cost distance peers ($TC is not built)" >&2
    finish
    exit
fi

# -- the grids: friction 0.5..5 unless said --
check "300x300, 3 sources, cell 1" grid plain --size 300 --seed 1 --sources 3
check "10% impassable, 20 m cells" grid walls --seed 2 --impassable 0.1 --cell 20
check "5% zero friction (ordered bands)" grid zeros --seed 3 --zeros 0.05
check "friction 1e-4..5 (ordered bands)" grid wide --seed 4 --low 0.0001 --high 5 --cell 20
check "30% impassable, 5 sources" grid maze --seed 5 --impassable 0.3 --sources 5
check "16 neighbours, 10% impassable" grid knight --seed 6 --impassable 0.1 --knight --cell 20

# -- scikit-image MCP_Geometric (8 neighbours): costs within 1e-6, origins --
if ! $PY -c 'import skimage.graph' 2>/dev/null; then
    echo "skipped: scikit-image peer (python3-skimage missing: apt-get install python3-skimage)" >&2
else
    for g in plain walls zeros wide maze; do
        check "scikit-image agrees on $g" $P skimage "$T/$g"
    done
fi

# -- GRASS r.cost, also -k: costs within 1e-6, nearest source off ties --
if ! command -v grass >/dev/null; then
    echo "skipped: GRASS r.cost peer (grass missing: apt-get install grass-core)" >&2
else
    for g in plain walls maze knight; do
        check "r.cost agrees on $g" $P grass "$T/$g"
    done
fi
finish
