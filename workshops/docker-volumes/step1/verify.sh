#!/bin/bash
docker volume inspect notes > /dev/null 2>&1 || { echo "There is no volume named notes yet."; exit 1; }
