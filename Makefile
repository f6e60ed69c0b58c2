# Kiln: the two commands a new machine needs are `make run` and `make test`.
.PHONY: run start stop status test build bench-api clean

run:            ## start the whole local stack in the foreground, with sample data (Ctrl-C stops it)
	scripts/stack run

start:          ## the same, in the background; writes .run/stack.env
	scripts/stack start

stop:           ## stop the background stack
	scripts/stack stop

status:
	scripts/stack status

test:           ## every test: unit, store, responder, and end to end through httpd (starts what it needs)
	scripts/test

build:
	swift build

bench-api:      ## wrk through httpd against 100,000 composes
	scripts/bench-api

clean:
	scripts/stack stop || true
	rm -rf .run .build
