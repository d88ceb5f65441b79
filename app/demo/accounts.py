"""Demo accounts of the demo province (README lists them): one per role, a few agencies."""

from __future__ import annotations

from dataclasses import dataclass

from app.security import roles


@dataclass(frozen=True)
class DemoAccount:
    """A demo login: who, which role, which agency (by code)."""

    username: str
    role: str
    agency_code: str
    family_and_middle_name: str
    given_name: str
    # Roles held besides ``role``: an agency administrator grants only roles they hold (R10).
    extra_roles: tuple[str, ...] = ()

    @property
    def all_roles(self) -> tuple[str, ...]:
        """Every role of the account, the main one first."""
        return (self.role, *self.extra_roles)


DEMO_ACCOUNTS: list[DemoAccount] = [
    DemoAccount("admin", roles.SYSADMIN, "DT17-VPUB", "Nguyễn Văn", "Quản"),
    DemoAccount("vpub.nhiemvu", roles.TASK_OFFICER, "DT17-VPUB", "Trần Thị", "Thu"),
    DemoAccount("btcd.giamsat", roles.MONITOR, "DT17-BTCD", "Lê Minh", "Tâm"),
    DemoAccount("ttt.chuyenvien", roles.CLERK, "DT17-TTT", "Phạm Quốc", "Bảo"),
    DemoAccount("lanhdao.tinh", roles.LEADER, "DT17-UBT", "Võ Thành", "Long"),
    DemoAccount("stnmt.canbo", roles.AGENCY_STAFF, "DT17-STNMT", "Huỳnh Thị", "Ngọc"),
    DemoAccount(
        "caolanh.quantri",
        roles.AGENCY_ADMIN,
        "DT17-866-UB",
        "Đặng Văn",
        "Hải",
        extra_roles=(roles.CLERK, roles.TASK_OFFICER, roles.AGENCY_STAFF, roles.LEADER),
    ),
    DemoAccount("caolanh.vanphong", roles.TASK_OFFICER, "DT17-866-VP", "Bùi Thị", "Hoa"),
    DemoAccount("caolanh.tcd", roles.CLERK, "DT17-866-TCD", "Nguyễn Thị", "Lan"),
    DemoAccount("caolanh.thanhtra", roles.AGENCY_STAFF, "DT17-866-TT", "Trương Văn", "Phúc"),
    DemoAccount("xa.myngai", roles.CLERK, "DT17-29881-UB", "Lý Thị", "Mai"),
    DemoAccount("laivung.tcd", roles.CLERK, "DT17-876-TCD", "Phan Văn", "Hùng"),
]
