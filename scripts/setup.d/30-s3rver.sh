#!/usr/bin/env bash
# Installs s3rver 3.7.1, a real S3-protocol server run by the artifact store's tests and benchmark,
# into "$WHETSTONE_TOOLS/s3rver", then corrects where it departs from S3:
# - the XML namespace its list responses declare (it writes http://doc.s3.amazonaws.com/2006-03-01/,
#   S3 clients such as the Minio SDK expect http://s3.amazonaws.com/doc/2006-03-01/ and otherwise
#   read every listing as empty);
# - the x-amz-copy-source header of a server-side copy, which S3 URL-decodes fully; s3rver uses
#   decodeURI, which leaves %2F encoded, so a copy of any key with '/' (as the Minio SDK sends it)
#   answers NoSuchKey.
# - a PUT (and an uploaded part) is answered only once its bytes are written: s3rver resolves when it has
#   read the request, before its file stream finishes, so a GET right after an answered PUT could read a
#   short object (the racing-writer test caught it under load);
# - conditional writes (If-None-Match: *), see the last step.
# Idempotent: installs only when the pinned version is missing; the patch is a no-op once applied.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="${WHETSTONE_ROOT:-$(cd "$here/../.." && pwd)}"
tools="${WHETSTONE_TOOLS:-$root/.tools}"
prefix="$tools/s3rver"
version="3.7.1"
package="$prefix/node_modules/s3rver/package.json"

if ! command -v npm >/dev/null 2>&1; then
  echo "setup: npm is missing (scripts/setup.d/00-apt.sh installs it)" >&2
  exit 1
fi

installed=""
if [ -f "$package" ]; then
  installed="$(node -p "require('$package').version" 2>/dev/null || true)"
fi
if [ "$installed" != "$version" ]; then
  echo "setup: installing s3rver $version into $prefix"
  mkdir -p "$prefix"
  npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error "s3rver@$version" >/dev/null
fi

wrong='http://doc.s3.amazonaws.com/2006-03-01/'
right='http://s3.amazonaws.com/doc/2006-03-01/'
controllers="$prefix/node_modules/s3rver/lib/controllers"
for file in "$controllers"/*.js; do
  if grep -qF "$wrong" "$file"; then
    sed -i "s#$wrong#$right#g" "$file"
    echo "setup: s3rver list namespace corrected in $(basename "$file")"
  fi
done

copy_decode_wrong="decodeURI(ctx.headers['x-amz-copy-source'])"
copy_decode_right="decodeURIComponent(ctx.headers['x-amz-copy-source'])"
object_controller="$controllers/object.js"
if grep -qF "$copy_decode_wrong" "$object_controller"; then
  sed -i "s#decodeURI(ctx.headers\['x-amz-copy-source'\])#decodeURIComponent(ctx.headers['x-amz-copy-source'])#" "$object_controller"
  echo "setup: s3rver copy-source decoding corrected in object.js"
fi
grep -qF "$copy_decode_right" "$object_controller" || { echo "setup: could not patch s3rver copy-source decoding" >&2; exit 1; }

# Conditional writes (If-None-Match: *), which S3 and MinIO honour and s3rver 3.7.1 predates: our module
# (scripts/s3rver/conditional-writes.js) goes beside the object controller, which hands it its exports.
conditional_source="$here/../s3rver/conditional-writes.js"
conditional_target="$controllers/whetstone-conditional-writes.js"
conditional_hook="require('./whetstone-conditional-writes')(module.exports);"
if ! cmp -s "$conditional_source" "$conditional_target"; then
  cp "$conditional_source" "$conditional_target"
  echo "setup: s3rver conditional writes (If-None-Match: *) installed"
fi
if ! grep -qF "$conditional_hook" "$object_controller"; then
  printf '\n%s\n' "$conditional_hook" >> "$object_controller"
fi
grep -qF "$conditional_hook" "$object_controller" || { echo "setup: could not hook s3rver conditional writes" >&2; exit 1; }

# A PUT or part is answered once its file stream has finished writing, not when the request was read.
store_file="$prefix/node_modules/s3rver/lib/stores/filesystem.js"
python3 - "$store_file" <<'PY'
import sys
path = sys.argv[1]
text = open(path).read()
fixes = [
    ("""        writeStream.end(object.content);
        md5Context.update(object.content);
        resolve([object.content.length, md5Context.digest('hex')]);""",
     """        md5Context.update(object.content);
        const digest = md5Context.digest('hex');
        writeStream.on('error', reject);
        writeStream.end(object.content, () => resolve([object.content.length, digest]));"""),
    ("""          .on('error', reject)
          .on('finish', () => resolve([totalLength, md5Context.digest('hex')]))
          .pipe(writeStream);""",
     """          .on('error', reject)
          .pipe(writeStream)
          .on('error', reject)
          .on('finish', () => resolve([totalLength, md5Context.digest('hex')]));"""),
    ("""        .on('error', reject)
        .on('finish', () => {
          resolve([totalLength, md5Context.digest('hex')]);
        })
        .pipe(writeStream);""",
     """        .on('error', reject)
        .pipe(writeStream)
        .on('error', reject)
        .on('finish', () => {
          resolve([totalLength, md5Context.digest('hex')]);
        });"""),
]
changed = False
for wrong, right in fixes:
    if wrong in text:
        text = text.replace(wrong, right)
        changed = True
    elif right not in text:
        sys.exit(f"setup: could not patch s3rver's {path}: the code to correct was not found")
if changed:
    open(path, "w").write(text)
    print("setup: s3rver answers a PUT once its bytes are written (filesystem.js)")
PY
