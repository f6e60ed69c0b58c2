"""`results: ["iso"]`: an ISO 9660 image of each arch's package tree, its MD5 implanted (checkisomd5 verifies it),
listed in productmd's images.json and loaded by productmd; what Kiln cannot make is refused at POST."""
import hashlib
import os
import subprocess

import pytest
from conftest import assert_error
from test_generate import generate_once, sample, submit, toplevel_dir


def test_iso_result_makes_a_verified_image_per_arch_listed_in_images_json(stack, releng):
    user, token = releng
    created = submit(stack, token, source_extra={"packages": ["kiln-hello", "kiln-doc"]},
                     arches=["x86_64", "aarch64"], results=["iso"], flags=["no_reuse"])
    assert created["results"] == ["repository", "iso"]
    generate_once(stack)
    done = stack.get("composes/%d" % created["id"]).json()
    assert done["state_name"] == "done", done

    from productmd.compose import Compose
    top = toplevel_dir(stack, done)
    compose = Compose(top)
    images = compose.images.images["Temporary"]
    assert sorted(images) == ["aarch64", "x86_64"]
    for arch in ("x86_64", "aarch64"):
        [image] = images[arch]
        name = "%s-Temporary-%s-dvd1.iso" % (done["pungi_compose_id"], arch)
        assert image.path == "Temporary/%s/iso/%s" % (arch, name)
        assert (image.type, image.format, image.arch, image.bootable) == ("dvd", "iso", arch, False)
        assert (image.disc_number, image.disc_count, image.subvariant) == (1, 1, "Temporary")
        path = os.path.join(top, "compose", image.path)
        with open(path, "rb") as f:
            data = f.read()
        assert image.size == len(data)
        assert image.checksums == {"sha256": hashlib.sha256(data).hexdigest()}
        # The implanted MD5 verifies, and it is the one images.json names.
        check = subprocess.run(["checkisomd5", path], capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr
        md5 = subprocess.run(["checkisomd5", "--md5sumonly", path], capture_output=True, text=True).stdout
        assert image.implant_md5 == md5.splitlines()[0].split(":")[-1].strip()
        with open(os.path.join(os.path.dirname(path), "SHA256SUM")) as f:
            assert f.read() == "SHA256 (%s) = %s\n" % (name, image.checksums["sha256"])
        # The image holds the arch's package tree: its packages and repodata.
        listing = subprocess.run(["xorriso", "-indev", path, "-find", "/", "-type", "f"],
                                 capture_output=True, text=True)
        files = {line.strip().strip("'") for line in listing.stdout.splitlines()}
        assert "/repodata/repomd.xml" in files, files
        expected = {"/Packages/k/kiln-doc-1.0-1.noarch.rpm"}
        if arch == "x86_64":
            expected |= {"/Packages/k/kiln-hello-1.0-1.x86_64.rpm", "/Packages/k/kiln-lib-1.1-1.noarch.rpm"}
        assert {f for f in files if f.startswith("/Packages/")} == expected
    # composeinfo names where the images are.
    assert compose.info.variants["Temporary"].paths.isos == {"x86_64": "Temporary/x86_64/iso",
                                                              "aarch64": "Temporary/aarch64/iso"}


def test_a_compose_without_iso_has_no_images(stack, releng):
    user, token = releng
    created = submit(stack, token, source_extra={"packages": ["kiln-doc"]}, flags=["no_reuse"])
    generate_once(stack)
    done = stack.get("composes/%d" % created["id"]).json()
    assert done["state_name"] == "done", done
    top = toplevel_dir(stack, done)
    assert not os.path.exists(os.path.join(top, "compose", "metadata", "images.json"))
    assert not os.path.exists(os.path.join(top, "compose", "Temporary", "x86_64", "iso"))


@pytest.mark.parametrize("result,tool", [("boot.iso", "lorax"), ("ostree", "rpm-ostree")])
def test_results_kiln_cannot_make_are_refused_at_post(stack, releng, unchanged, result, tool):
    user, token = releng
    r = stack.post_compose({"source": {"type": "repo", "source": sample(stack)}, "results": [result]}, token)
    assert_error(r, 400)
    message = r.json()["message"]
    assert message.startswith('Result "%s" needs %s' % (result, tool)), message
    assert "Debian does not package" in message
