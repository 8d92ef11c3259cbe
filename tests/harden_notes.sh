#!/bin/sh
# harden_notes.sh READELF FILE... -- each file (an executable, an object or
# an archive of objects) carries the x86 GNU property notes IBT and SHSTK
# (in every member, for an archive). Used by the CPJIT_HARDEN ctests.
readelf=$1
shift
status=0
for f in "$@"; do
  case $f in
    *.a) want=$(ar t "$f" | grep -c '\.o$') ;;
    *) want=1 ;;
  esac
  have=$("$readelf" -n "$f" | grep -c 'x86 feature: IBT, SHSTK')
  if [ "$have" -ne "$want" ]; then
    echo "$f: $have of $want objects carry the IBT and SHSTK property notes"
    status=1
  else
    echo "$f: IBT and SHSTK property notes present ($have)"
  fi
done
exit $status
