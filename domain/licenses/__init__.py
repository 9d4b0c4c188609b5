"""Licenses: keys issued by the vendor, redeemed by organizations, attached to devices; and the
catalog of the vendor's apps (the app tiles) that licenses unlock."""
