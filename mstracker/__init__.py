"""mstracker: a companion for people with MS going through aHSCT, their caregivers and coordinators."""

__version__ = "0.1.0"
