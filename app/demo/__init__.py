"""The demo province: Đồng Tháp's agencies and units, and one account per role."""
