/**
 * Shared vocabulary of the platform: the exception hierarchy, declared plugin parameters and
 * their validated configuration, the plugin base contract and seed derivation.
 */
package org.l2o.api;
