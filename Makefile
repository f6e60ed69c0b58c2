# Kiln: the two commands a new machine needs are `make run` and `make test`.
.PHONY: help run start stop status test build bench-api drill clean

help:           ## list the targets and what each does
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):[^#]*## /\1\t/' | expand -t 16


run:            ## start the whole local stack in the foreground, with sample data (Ctrl-C stops it)
	scripts/stack run

start:          ## the same, in the background; writes .run/stack.env
	scripts/stack start

stop:           ## stop the background stack
	scripts/stack stop

status:         ## is the background stack running?
	scripts/stack status

test:           ## every test: unit, store, responder, and end to end through httpd (starts what it needs)
	scripts/test

build:          ## debug build of both executables
	swift build

bench-api:      ## wrk through httpd against 100,000 composes
	scripts/bench-api

drill:          ## fault drills on a private stack (kill -9, database restart, broker outage)
	scripts/drill

clean:          ## stop the stack and remove .run and .build
	scripts/stack stop || true
	rm -rf .run .build
