"""Second held-out corpus of referral forms: ``<template>/<case>.docx|pdf`` beside
``<case>.expected.json`` (see build). Synthetic test document: every person and detail in it is
fictional."""
