/**
 * Any l2o optimizer as a Deeplearning4j updater: {@link org.l2o.dl4j.L2oUpdater} in a network's
 * configuration, and {@link org.l2o.dl4j.L2oUpdater#attach} on the network so the updater learns
 * each step's loss and where one parameter tensor ends and the next begins.
 */
package org.l2o.dl4j;
