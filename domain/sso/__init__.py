"""Enterprise single sign-on (issue 16): claimed email domains proven by DNS, the organization's
upstream OpenID provider, and home-realm discovery at /login."""
