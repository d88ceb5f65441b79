"""A citizen's address written out in full, as slips and the reception book print it."""

from __future__ import annotations

from app.petitions.models import Citizen


def citizen_address(citizen: Citizen) -> str:
    """ "Ấp 3, Xã Mỹ Ngãi, Thành phố Cao Lãnh, Tỉnh Đồng Tháp": the detail typed, then the
    commune and every unit above it (Luật TCD Art. 25: name and address of the visitor)."""
    parts = [citizen.address_detail.strip()] if citizen.address_detail else []
    unit = citizen.commune
    while unit is not None:
        parts.append(unit.name)
        unit = unit.parent
    return ", ".join(part for part in parts if part)
