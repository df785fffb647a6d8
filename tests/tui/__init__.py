"""The dashboard driven with Pilot: the real keys, the screen and the store after."""
