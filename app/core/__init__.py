"""Small helpers shared by every domain package: time, enums, i18n, errors."""
