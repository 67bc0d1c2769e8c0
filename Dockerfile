# The container kata grade runs submissions in with -sandbox docker (or
# podman), for instructors without bubblewrap (macOS, Windows):
#
#   docker build -t netkata-grade .
#   go run ./cmd/kata grade -sandbox docker alice.zip bob.zip
#
# kata runs it with --network none, a read-only root, no capabilities, no
# new privileges, your own user id (the build cache it mounts is yours),
# memory, process, CPU-time and file-size limits, a private /tmp, and only
# the grading copy (read-only), the build output and the build cache
# mounted. It needs nothing but the Go toolchain: the workbook is mounted.
# Keep the Go version in step with the go command kata runs with.
FROM golang:1.26-bookworm
ENV GOTOOLCHAIN=local GOPROXY=off GOTELEMETRY=off CGO_ENABLED=0 HOME=/tmp/home
