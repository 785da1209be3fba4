/**
 * The driver of the jnic card: {@link io.github.jnic.driver.HostBus}, what it needs from the host
 * (registers, DMA memory, the interrupt line), and the driver built on it, a {@code NetDevice} for
 * the stack. The register map and descriptor layouts come from {@code io.github.jnic.spec}.
 */
package io.github.jnic.driver;
