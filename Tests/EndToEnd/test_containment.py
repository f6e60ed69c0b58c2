"""Generate and expire write and delete only below the compose directory: compose types and labels of old rows
(stored before the API checked them) are checked again, planted symlinks are never followed, and nothing outside
the root is created, replaced or deleted (the `ops` fixture: a database and compose directory of their own)."""
import os
import shutil

from test_expire import ops  # noqa: F401  (the fixture)

NO_REUSE = 64


def tree(path):
    """Every entry below `path` (symlinks not followed) with what it is: the bytes of a file, a link's target."""
    found = {}
    for directory, dirs, files in os.walk(path):
        for name in dirs + files:
            full = os.path.join(directory, name)
            rel = os.path.relpath(full, path)
            if os.path.islink(full):
                found[rel] = "-> " + os.readlink(full)
            elif os.path.isdir(full):
                found[rel] = "dir"
            else:
                found[rel] = open(full, "rb").read()
    return found


def outside_dir(tmp_path):
    outside = tmp_path / "outside"
    (outside / "keep").mkdir(parents=True)
    (outside / "keep" / "file").write_text("sentinel")
    return outside


def test_generate_creates_nothing_outside_the_root_through_dot_dot_or_symlinks(ops, tmp_path):
    outside = outside_dir(tmp_path)
    bad_type = ops.submit(packages="kiln-doc", compose_type="../outside", flags=NO_REUSE)
    bad_label = ops.submit(packages="kiln-doc", label="RC-1.0/../../../outside/x", flags=NO_REUSE)
    # The nightly directory is a symlink out of the root.
    os.symlink(str(outside), ops.path("nightly"))
    good = ops.submit(packages="kiln-doc", compose_type="nightly", label="RC-1.0", flags=NO_REUSE)
    before = tree(str(outside))
    around = sorted(os.listdir(tmp_path))
    out = ops.generate()

    assert ops.row(bad_type)["state"] == 4
    assert ops.row(bad_type)["reason"] == ('Error while generating compose: The compose type "../outside" is not '
                                           'one of test, ci, nightly, production, development')
    assert ops.row(bad_label)["state"] == 4
    assert ops.row(bad_label)["reason"] == ('Error while generating compose: The label "RC-1.0/../../../outside/x" '
                                            "is not in productmd's format (such as RC-1.0)")
    # The compose itself is generated and served; its links are not written through the planted symlink.
    assert ops.row(good)["state"] == 2, ops.row(good)["reason"]
    assert os.path.isdir(ops.path("odcs-%d" % good)) and not os.path.islink(ops.path("odcs-%d" % good))
    assert "compose link not written" in out.stderr
    assert tree(str(outside)) == before
    assert sorted(os.listdir(tmp_path)) == around
    for cid in (bad_type, bad_label):
        assert not os.path.lexists(ops.path("odcs-%d" % cid))


def test_expire_deletes_nothing_outside_the_root_through_symlinks_or_old_rows(ops, tmp_path):
    outside = outside_dir(tmp_path)
    first = ops.submit(packages="kiln-doc", compose_type="production", flags=NO_REUSE)
    second = ops.submit(packages="kiln-doc", flags=NO_REUSE)
    ops.generate()
    assert ops.row(first)["state"] == 2 and ops.row(second)["state"] == 2
    first_id = ops.sql("SELECT pungi_compose_id FROM composes WHERE id = %d" % first)[0][0]
    second_id = ops.sql("SELECT pungi_compose_id FROM composes WHERE id = %d" % second)[0][0]

    # production/ becomes a symlink to a directory outside holding links with the compose's names.
    shutil.rmtree(ops.path("production"))
    os.symlink(str(outside), ops.path("production"))
    os.symlink("../odcs-%d" % first, str(outside / first_id))
    os.symlink("../odcs-%d" % first, str(outside / ("latest-odcs-%d" % first)))
    # The first compose's toplevel becomes a symlink to a directory outside.
    shutil.rmtree(ops.path("odcs-%d" % first))
    os.symlink(str(outside / "keep"), ops.path("odcs-%d" % first))
    # The second compose's row says its type is "..": its link names would be looked up beside the root.
    ops.sql("UPDATE composes SET compose_type = '..' WHERE id = %d" % second)
    os.symlink("elsewhere/odcs-%d" % second, str(tmp_path / second_id))
    before = tree(str(outside))

    ops.expire_now(first, second)
    ops.kiln("expire")
    assert ops.row(first)["state"] == 3 and ops.row(second)["state"] == 3
    assert tree(str(outside)) == before
    assert os.readlink(str(tmp_path / second_id)) == "elsewhere/odcs-%d" % second
    # What was Kiln's in the root is gone: the planted toplevel link (itself), the second compose's tree.
    assert not os.path.lexists(ops.path("odcs-%d" % first))
    assert not os.path.lexists(ops.path("odcs-%d" % second))
    # Its links in test/ (unnamed by the row any more) go with the leftover scan, which reads their targets.
    assert [e for e in os.listdir(ops.path("test")) if os.readlink(ops.path("test", e)) == "../odcs-%d" % second] == []
