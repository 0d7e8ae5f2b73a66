'use strict';
// Conditional writes for s3rver 3.7.1, as S3 (since 2024) and MinIO implement them: a PUT, a server-side copy or a
// CompleteMultipartUpload that carries `If-None-Match: *` creates the key only when it does not exist, and otherwise
// answers 412 PreconditionFailed. s3rver predates the feature and overwrites. Installed by
// scripts/setup.d/30-s3rver.sh beside s3rver's object controller, which requires it last and passes its exports.
//
// Conditional writes to one key are serialized here (a promise chain per bucket/key), so the existence check and the
// write that follows are one step for every conditional writer, which is what S3 guarantees. A plain write does not
// wait, as on S3, where the last plain write wins.
const S3Error = require('../models/error');

const chains = new Map();

async function drain(request) {
  if (request.readableEnded || request.destroyed) return;
  await new Promise(resolve => {
    request.on('end', resolve);
    request.on('error', resolve);
    request.on('close', resolve);
    request.resume();
  });
}

function conditional(handler) {
  return async function conditionalWrite(ctx) {
    const header = ctx.headers['if-none-match'];
    if (header === undefined) return handler(ctx);
    if (header.trim() !== '*') {
      throw new S3Error('NotImplemented', 'Only If-None-Match: * is implemented for writes', { Header: 'If-None-Match' });
    }

    const id = `${ctx.params.bucket}/${ctx.params.key}`;
    const previous = chains.get(id) || Promise.resolve();
    let release;
    const gate = new Promise(resolve => { release = resolve; });
    const mine = previous.then(() => gate);
    chains.set(id, mine);
    await previous;
    try {
      if (await ctx.store.existsObject(ctx.params.bucket, ctx.params.key)) {
        await drain(ctx.req);
        throw new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { Condition: 'If-None-Match' });
      }
      return await handler(ctx);
    } finally {
      release();
      if (chains.get(id) === mine) chains.delete(id);
    }
  };
}

module.exports = function install(objectController) {
  for (const name of ['putObject', 'putObjectCopy', 'completeMultipartUpload']) {
    if (!objectController[name].whetstoneConditional) {
      const wrapped = conditional(objectController[name]);
      wrapped.whetstoneConditional = true;
      objectController[name] = wrapped;
    }
  }
};
