import { addMessages } from "@shared/i18n";

addMessages({
  vi: {
    "ov.nav": "Tổng quan",
    "ov.title": "Tổng quan thành phố",
    "ov.updated": "Cập nhật {at}",
    "ov.refresh": "Làm mới",
    "ov.open": "Mở {room}",
    "ov.alerts": "Cảnh báo đang mở",
    "ov.none": "Chưa có",
  },
  en: {
    "ov.nav": "Overview",
    "ov.title": "The city at a glance",
    "ov.updated": "Updated {at}",
    "ov.refresh": "Refresh",
    "ov.open": "Open {room}",
    "ov.alerts": "Active alerts",
    "ov.none": "None yet",
  },
});
