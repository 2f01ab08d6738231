// Stand-in for @tensorflow/tfjs-node inside danfojs-node: the pure tfjs package, same API, no native download.
module.exports = require('@tensorflow/tfjs');
