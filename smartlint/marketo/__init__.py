"""The Marketo REST client behind `smartlint pull`."""
