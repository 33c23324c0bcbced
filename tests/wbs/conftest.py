"""A small agency tree with its inspectorates, and helpers to file WBS cases."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import pytest

from lapor.accounts.models import User
from lapor.agencies.models import Agency, Membership
from lapor.wbs import services
from tests.factories import (
    AgencyFactory,
    MembershipFactory,
    ProvinceFactory,
    RegencyFactory,
    UnitFactory,
    national_admin,
)

PASSPHRASE = "kopi tubruk di alun-alun demak"

WHAT = "Pungutan liar Rp 250.000 untuk setiap izin usaha mikro di loket perizinan"
WHO = "Bapak Sutarjo Wiryoatmojo, kepala seksi perizinan"
WHERE = "Kantor DPMPTSP Demak, loket 3"
WHEN = "Setiap Senin sepanjang Oktober 2026"
HOW = "Uang diminta tunai di ruang belakang, tanpa kuitansi"
NAME = "Sri Handayani Kusumawardhani"
CONTACT = "sri.handayani.rahasia@contoh.id"


@pytest.fixture(autouse=True)
def _fast_kdf(settings: Any) -> None:
    """Argon2id at its minimum cost: the tests prove the design, not the cost."""
    settings.LAPOR_WBS_KDF = "minimum"


def inspector(agency: Agency, username: str, *, key: bool = True) -> User:
    user = MembershipFactory(
        agency=agency, role=Membership.Role.INSPECTOR, user__username=username
    ).user
    if key:
        services.person_key_create(user=user, passphrase=PASSPHRASE)
    return user


@dataclass
class Tree:
    national: Agency
    province: Agency
    demak: Agency
    dinas: Agency
    kudus: Agency
    demak_inspector: User
    province_inspector: User
    national_inspector: User
    kudus_inspector: User
    demak_admin: User
    dinas_officer: User
    national_admin: User


@pytest.fixture
def tree(db: Any) -> Tree:
    admin = national_admin()
    national = Agency.objects.get(code="kemenpanrb")
    jateng = ProvinceFactory()
    province = AgencyFactory(
        code="pemprov-33",
        name="Pemerintah Provinsi Jawa Tengah",
        kind=Agency.Kind.PROVINCE,
        region=jateng,
    )
    demak = AgencyFactory(
        code="pemkab-3321", name="Pemerintah Kabupaten Demak", region=RegencyFactory()
    )
    dinas = UnitFactory(parent=demak, code="pemkab-3321-dpmptsp", name="DPMPTSP Demak")
    kudus = AgencyFactory(
        code="pemkab-3319",
        name="Pemerintah Kabupaten Kudus",
        region=RegencyFactory(code="33.19", name="Kabupaten Kudus"),
    )
    return Tree(
        national=national,
        province=province,
        demak=demak,
        dinas=dinas,
        kudus=kudus,
        demak_inspector=inspector(demak, "inspektur-demak"),
        province_inspector=inspector(province, "inspektur-jateng"),
        national_inspector=inspector(national, "tim-wbs-nasional"),
        kudus_inspector=inspector(kudus, "inspektur-kudus"),
        demak_admin=MembershipFactory(agency=demak, user__username="admin-demak").user,
        dinas_officer=MembershipFactory(
            agency=dinas, role=Membership.Role.UNIT_OFFICER, user__username="pic-dpmptsp"
        ).user,
        national_admin=admin,
    )


def evidence(data: bytes, name: str = "bukti-kuitansi.pdf") -> services.EncryptedUpload:
    pieces = [data[i : i + 10_000] for i in range(0, len(data), 10_000)]
    return services.encrypt_upload(name, "application/pdf", pieces, io.BytesIO())


def file_case(tree: Tree, *, accused: str = "pegawai", files: Any = (), identity: Any = None):  # type: ignore[no-untyped-def]
    return services.case_submit(
        agency=tree.dinas,
        accused=accused,
        content={"what": WHAT, "who": WHO, "where": WHERE, "when": WHEN, "how": HOW},
        identity=identity,
        files=list(files),
    )
