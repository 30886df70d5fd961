"""The referral-form corpus: ``<template>/<case>.docx|pdf`` beside ``<case>.expected.json``."""
