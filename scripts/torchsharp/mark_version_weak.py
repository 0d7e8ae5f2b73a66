#!/usr/bin/env python3
"""Marks one version requirement of an ELF64 shared library as weak (VER_FLG_WEAK).

The dynamic loader refuses a library whose .gnu.version_r section asks for a symbol version
the system lacks, unless that requirement is weak. TorchSharp's native library asks for
GLIBCXX_3.4.32 for a single symbol that scripts/setup.d/20-torchsharp.sh supplies itself,
so the requirement can be relaxed. Usage: mark_version_weak.py LIBRARY VERSION_NAME
Exit codes: 0 marked (or already weak), 3 the library does not ask for that version.
"""
import struct
import sys

SHT_GNU_VERNEED = 0x6FFFFFFE
VER_FLG_WEAK = 0x2


def read_c_string(data, offset):
    end = data.index(b"\0", offset)
    return data[offset:end].decode("ascii")


def find_section(data, section_type):
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise SystemExit("not a little-endian ELF64 file")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    for section in sections:
        if section[1] == section_type:
            link = section[6]
            return section, sections[link]
    raise SystemExit("the library has no .gnu.version_r section")


def mark_weak(path, version_name):
    with open(path, "rb") as f:
        data = bytearray(f.read())
    verneed, strtab = find_section(data, SHT_GNU_VERNEED)
    strings_at = strtab[4]
    entry = verneed[4]
    found = False
    while True:
        _, count, _, aux_offset, next_offset = struct.unpack_from("<HHIII", data, entry)
        aux = entry + aux_offset
        for _ in range(count):
            _, flags, _, name, aux_next = struct.unpack_from("<IHHII", data, aux)
            if read_c_string(data, strings_at + name) == version_name:
                struct.pack_into("<H", data, aux + 4, flags | VER_FLG_WEAK)
                found = True
            aux += aux_next
        if next_offset == 0:
            break
        entry += next_offset
    if not found:
        return 3
    with open(path, "r+b") as f:
        f.write(data)
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    sys.exit(mark_weak(sys.argv[1], sys.argv[2]))
