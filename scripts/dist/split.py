"""Splits Floe's jars between the class path and the plugin directories of the distribution.

    split.py JARS DIST_LIB FULL_LIST CORE_LIST PLUGIN=LIST...

JARS holds every jar the server runs with (floe-server/target/lib and the server's own jar); the
lists are `mvn dependency:list -DoutputAbsoluteArtifactFilename` outputs: FULL_LIST the server's
dependencies, CORE_LIST the server's without the plugin modules (-Dfloe.core-only), and one per
plugin module (its own dependencies). A jar goes on the class path when the server needs it
without the plugins; otherwise into the directory of each plugin that needs it, the module's jar
first. Every jar of the full list lands somewhere, or the split fails.
"""
import os
import re
import shutil
import sys

LINE = re.compile(r"^\s+([^:\s]+):([^:\s]+):\S*?(/\S+\.jar)")


def artifacts(listing):
    """groupId:artifactId -> the jar's file name, from a dependency:list output."""
    found = {}
    with open(listing) as lines:
        for line in lines:
            match = LINE.match(re.sub(r"\x1b\[[0-9;]*m", "", line))
            if match:
                found[f"{match.group(1)}:{match.group(2)}"] = os.path.basename(match.group(3))
    return found


def copy(jars, name, into):
    source = os.path.join(jars, name)
    if not os.path.isfile(source):
        sys.exit(f"split: {name} is not among the server's jars in {jars}")
    shutil.copy2(source, into)  # keeps the jar's time: the AOT cache checks it


def main(jars, lib, full_list, core_list, *plugins):
    full, core = artifacts(full_list), artifacts(core_list)
    placed = set(core)
    classpath = []
    for key in sorted(core, key=lambda k: core[k]):
        if key not in full or full[key] != core[key]:
            sys.exit(f"split: the server without plugins resolves {key} as {core[key]}, with them as {full.get(key)}")
        copy(jars, full[key], lib)
        classpath.append(full[key])
    for plugin in plugins:
        module, listing = plugin.split("=", 1)
        key = f"io.floe:{module}"
        if key not in full:
            sys.exit(f"split: the plugin {module} is not among the server's dependencies")
        directory = os.path.join(lib, "plugins", module)
        os.makedirs(directory)
        names = [full[key]]
        for dependency in sorted(artifacts(listing)):
            if dependency in core:
                continue
            if dependency not in full:
                sys.exit(f"split: {module} needs {dependency}, which the server does not resolve")
            names.append(full[dependency])
        for name in names:
            copy(jars, name, directory)
        with open(os.path.join(directory, "classpath"), "w") as out:
            out.write("".join(name + "\n" for name in names))
        placed.add(key)
        placed.update(artifacts(listing))
    missing = sorted(set(full) - placed)
    if missing:
        sys.exit(f"split: jars neither on the class path nor in a plugin: {missing}")
    with open(os.path.join(lib, "classpath"), "a") as out:
        out.write("".join(name + "\n" for name in classpath))


if __name__ == "__main__":
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    main(*sys.argv[1:])
